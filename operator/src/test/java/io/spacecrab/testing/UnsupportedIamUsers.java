package io.spacecrab.testing;

import io.spacecrab.aws.AccessKeyInfo;
import io.spacecrab.aws.AccessKeyLastUse;
import io.spacecrab.aws.IamUser;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.IssuedKey;
import io.spacecrab.aws.UserAttachment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link IamUsers} whose every call throws; an in-memory fake overrides the calls its test expects. */
public abstract class UnsupportedIamUsers implements IamUsers {
  @Override
  public Optional<IamUser> findUser(String userName) {
    throw new UnsupportedOperationException("findUser");
  }

  @Override
  public IamUser createUser(String userName, String path, String boundaryArn, Map<String, String> tags) {
    throw new UnsupportedOperationException("createUser");
  }

  @Override
  public void setPermissionsBoundary(String userName, String boundaryArn) {
    throw new UnsupportedOperationException("setPermissionsBoundary");
  }

  @Override
  public Optional<String> inlinePolicy(String userName, String policyName) {
    throw new UnsupportedOperationException("inlinePolicy");
  }

  @Override
  public void putInlinePolicy(String userName, String policyName, String document) {
    throw new UnsupportedOperationException("putInlinePolicy");
  }

  @Override
  public List<AccessKeyInfo> listAccessKeys(String userName) {
    throw new UnsupportedOperationException("listAccessKeys");
  }

  @Override
  public Optional<AccessKeyLastUse> accessKeyLastUsed(String accessKeyId) {
    throw new UnsupportedOperationException("accessKeyLastUsed");
  }

  @Override
  public IssuedKey createAccessKey(String userName) {
    throw new UnsupportedOperationException("createAccessKey");
  }

  @Override
  public void deleteAccessKey(String userName, String accessKeyId) {
    throw new UnsupportedOperationException("deleteAccessKey");
  }

  @Override
  public List<String> attachments(String userName, UserAttachment kind) {
    throw new UnsupportedOperationException("attachments");
  }

  @Override
  public void remove(String userName, UserAttachment kind, String id) {
    throw new UnsupportedOperationException("remove");
  }

  @Override
  public void deleteUser(String userName) {
    throw new UnsupportedOperationException("deleteUser");
  }

  @Override
  public List<String> userNames() {
    throw new UnsupportedOperationException("userNames");
  }
}
