"""The tests' moto server: moto (the repo's virtualenv) with two gaps of its IAM filled, so that the
operator's teardown of a token user meets what AWS IAM does.

- Service-specific credentials (Create/List/DeleteServiceSpecificCredential): moto implements none
  of them and answers 500, which would make every teardown on moto retry forever.
- DeleteUser refuses a user that still has anything attached (DeleteConflict), as IAM does. moto
  checks only policies: it deletes a user that still has keys, a console password, MFA devices,
  signing certificates, SSH keys or service-specific credentials, and leaves a deleted user listed
  in its groups.

    .venv/bin/python hack/moto_server.py -H 127.0.0.1 -p 5000

testing/MotoServer starts it; everything else is moto's own server.
"""

import sys

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iam.exceptions import DeleteConflictException, NotFoundException
from moto.iam.models import IAMBackend
from moto.iam.responses import IamResponse
from moto.moto_api._internal import mock_random as random
from moto.server import main


def _credentials(user):
    if not hasattr(user, "service_specific_credentials"):
        user.service_specific_credentials = {}
    return user.service_specific_credentials


def create_service_specific_credential(self):
    user = self.backend.get_user(self._get_param("UserName"))
    service = self._get_param("ServiceName")
    credential_id = "ACCA" + random.get_random_string(length=17, lower_case=False)
    credential = {"CreateDate": utcnow(), "ServiceName": service,
                  "ServiceUserName": f"{user.name}-at-{random.get_random_string(length=12)}",
                  "ServicePassword": random.get_random_string(length=44),
                  "ServiceSpecificCredentialId": credential_id, "UserName": user.name, "Status": "Active"}
    _credentials(user)[credential_id] = credential
    return ActionResult({"ServiceSpecificCredential": credential})


def list_service_specific_credentials(self):
    user = self.backend.get_user(self._get_param("UserName"))
    service = self._get_param("ServiceName")
    listed = [{k: v for k, v in c.items() if k != "ServicePassword"} for c in _credentials(user).values()
              if not service or c["ServiceName"] == service]
    return ActionResult({"ServiceSpecificCredentials": listed})


def delete_service_specific_credential(self):
    user = self.backend.get_user(self._get_param("UserName"))
    credential_id = self._get_param("ServiceSpecificCredentialId")
    if _credentials(user).pop(credential_id, None) is None:
        raise NotFoundException(f"No such credential {credential_id}")
    return EmptyResult()


IamResponse.create_service_specific_credential = create_service_specific_credential
IamResponse.list_service_specific_credentials = list_service_specific_credentials
IamResponse.delete_service_specific_credential = delete_service_specific_credential

_moto_delete_user = IAMBackend.delete_user


def delete_user(self, user_name):
    user = self.get_user(user_name)
    left = (("access keys", user.access_keys), ("login profile", user.password), ("MFA device", user.mfa_devices),
            ("signing certificate", user.signing_certificates), ("SSH public key", user.ssh_public_keys),
            ("service specific credentials", _credentials(user)))
    for what, present in left:
        if present:
            raise DeleteConflictException(f"Cannot delete entity, must delete {what} first.")
    if self.get_groups_for_user(user_name):
        raise DeleteConflictException("Cannot delete entity, must remove users from group first.")
    _moto_delete_user(self, user_name)


IAMBackend.delete_user = delete_user

if __name__ == "__main__":
    sys.exit(main())
