"""Offline proof that the stack's IAM policies are scoped: what the operator and the detector may
and may not do, evaluated with conditions, resource ARNs, denies and permissions boundaries.

moto checks only actions (and a few resource ARNs) and ignores conditions and boundaries, so the
scoping is shown here with principalmapper's local policy simulation
(query_interface.local_check_authorization_full) on the policies of the template resolved for
fixed parameters (template.py). Every case says what IAM must answer; a case whose answer differs
fails. cloudsplaining and parliament lint the same policies.

    .venv/bin/python cloudformation/tests/policy_scope.py

prints one line per case ("ok" or "FAIL") and exits 1 if any failed.

The request context of each case is written as IAM builds it for that API call
(Service Authorization Reference, "Actions defined by IAM"): aws:ResourceTag/<key> and
iam:ResourceTag/<key> for every tag of an existing target user; iam:PermissionsBoundary for the
actions that support it (the boundary in the request for CreateUser and
PutUserPermissionsBoundary, the user's current boundary for PutUserPolicy, DeleteUserPolicy,
AttachUserPolicy, DetachUserPolicy and DeleteUserPermissionsBoundary); aws:RequestTag/<key> and
aws:TagKeys for the tags a CreateUser or TagUser request carries.

Tags passed to CreateUser are also authorized as iam:TagUser on the new user. IAM documents
iam:PermissionsBoundary only for CreateUser, not for that TagUser check, and the new user has no
tags yet. The template allows tag-on-create in either of the two ways IAM can present it (the
CreateUser request context, or the requested tags as the resource's), and both are cases here.
Which one real IAM uses has not been checked against AWS (docs/aws.md, "What is not proven").
"""

import collections
import collections.abc
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

# principalmapper 1.1.5 imports these from collections, which Python 3.10 removed
for _name in ("Mapping", "MutableMapping", "Iterable", "Sequence"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

from principalmapper.common import Node, Policy  # noqa: E402
from principalmapper.querying.local_policy_simulation import policy_has_matching_statement  # noqa: E402
from principalmapper.querying.query_interface import local_check_authorization_full  # noqa: E402
from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from template import ACCOUNT, REGION, Template  # noqa: E402

CLUSTER = "prod-eu"
KEY = "team"
ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
BASE = {"ClusterId": CLUSTER, "OidcIssuer": ISSUER}
USERS = f"arn:aws:iam::{ACCOUNT}:user"

# the actions whose request context carries iam:PermissionsBoundary, and where it comes from
BOUNDARY_FROM_REQUEST = {"iam:CreateUser", "iam:PutUserPermissionsBoundary"}
BOUNDARY_OF_USER = {"iam:PutUserPolicy", "iam:DeleteUserPolicy", "iam:AttachUserPolicy", "iam:DetachUserPolicy",
                    "iam:DeleteUserPermissionsBoundary"}
# the operator's calls on a user it owns (AwsIamUsers: issue, drift re-check, teardown)
MANAGE = ["iam:DeleteUser", "iam:GetUserPolicy", "iam:ListUserPolicies", "iam:DeleteUserPolicy",
          "iam:ListAccessKeys", "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed",
          "iam:ListAttachedUserPolicies", "iam:DetachUserPolicy", "iam:ListGroupsForUser",
          "iam:GetLoginProfile", "iam:DeleteLoginProfile", "iam:ListMFADevices", "iam:DeactivateMFADevice",
          "iam:ListSigningCertificates", "iam:DeleteSigningCertificate", "iam:ListSSHPublicKeys",
          "iam:DeleteSSHPublicKey", "iam:ListServiceSpecificCredentials", "iam:DeleteServiceSpecificCredential"]
# what could turn a token user (or any user) into something that can act
WIDEN = ["iam:AttachUserPolicy", "iam:AddUserToGroup", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
         "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:UploadSigningCertificate",
         "iam:UploadSSHPublicKey", "iam:CreateServiceSpecificCredential", "iam:DeleteUserPermissionsBoundary",
         "iam:UpdateAccessKey", "iam:UpdateUser"]


@dataclass
class User:
    name: str
    tags: dict = field(default_factory=dict)
    boundary: str = None
    exists: bool = True

    @property
    def arn(self):
        return f"{USERS}/{self.name}"


def request(action, user, tags=None, boundary=None, tags_as_resource=False):
    """The condition keys IAM puts in the request context of this call.

    For iam:TagUser on a user that does not exist yet (tags passed to CreateUser), the context is
    the CreateUser request's (boundary and request tags), or with tags_as_resource the requested
    tags stand for the user's own and no boundary key is present: the two ways IAM may present it.
    """
    ctx = {}
    resource_tags = dict(tags) if tags_as_resource else (dict(user.tags) if user.exists else {})
    for k, v in resource_tags.items():
        ctx[f"aws:ResourceTag/{k}"] = v
        ctx[f"iam:ResourceTag/{k}"] = v
    tag_on_create = action == "iam:TagUser" and not user.exists and not tags_as_resource
    if (action in BOUNDARY_FROM_REQUEST or tag_on_create) and boundary:
        ctx["iam:PermissionsBoundary"] = boundary
    elif action in BOUNDARY_OF_USER and user.boundary:
        ctx["iam:PermissionsBoundary"] = user.boundary
    if tags:
        for k, v in tags.items():
            ctx[f"aws:RequestTag/{k}"] = v
        ctx["aws:TagKeys"] = list(tags)
    return ctx


def role_node(t, role):
    arn = t.get_att(role, "Arn")
    policies = [Policy(arn, name, doc) for name, doc in t.role_policies(role)]
    return Node(arn, t.get_att(role, "RoleId"), policies, None, t.trust_policy(role), None, 0, False, False, None,
                False, {})


def allowed(node, action, resource, ctx):
    return local_check_authorization_full(node, action, resource, ctx)


class Run:
    def __init__(self):
        self.results = []
        self._templates = {}

    def template(self, **params):
        key = tuple(sorted({**BASE, **params}.items()))
        if key not in self._templates:
            self._templates[key] = Template(dict(key))
        return self._templates[key]

    def case(self, case_id, description, expect, actual):
        ok = expect == actual
        self.results.append(ok)
        want = "allowed" if expect else "refused"
        got = "allowed" if actual else "refused"
        print(f"{'ok  ' if ok else 'FAIL'} {case_id}: {description} -> {got}" + ("" if ok else f" (want {want})"))

    def check(self, case_id, description, expect, node, action, resource, ctx):
        self.case(case_id, description, expect, allowed(node, action, resource, ctx))

    def finding(self, case_id, description, problems):
        self.results.append(not problems)
        print(f"{'ok  ' if not problems else 'FAIL'} {case_id}: {description}" + ("" if not problems
                                                                             else f": {problems}"))


def refuse_create_without_boundary_or_tag(run, prefix, op, new, ours, boundary):
    """CreateUser is refused unless it carries both the ownership tag and the boundary."""
    run.check(f"{prefix}-refuse-create-without-boundary", "CreateUser with the tag but no boundary", False, op,
              "iam:CreateUser", new.arn, request("iam:CreateUser", new, ours, None))
    run.check(f"{prefix}-refuse-create-other-boundary", "CreateUser with the tag and another boundary", False, op,
              "iam:CreateUser", new.arn,
              request("iam:CreateUser", new, ours, f"arn:aws:iam::{ACCOUNT}:policy/ReadOnly"))
    run.check(f"{prefix}-refuse-create-without-tag", "CreateUser with the boundary but no tag", False, op,
              "iam:CreateUser", new.arn, request("iam:CreateUser", new, None, boundary))


def operator_cases(run):
    t = run.template()
    op = role_node(t, "OperatorRole")
    boundary = t.ref("UserBoundary")
    table = t.get_att("Registry", "Arn")
    own = User("deploy-3f9a1c2e", {KEY: CLUSTER}, boundary)
    own_unbounded = User("deploy-77aa01bc", {KEY: CLUSTER}, None)
    foreign = User("alice")
    foreign_team = User("bob", {KEY: "payments"})
    other_cluster = User("build-1234abcd", {KEY: "prod-us"}, boundary)
    new = User("svc-0a1b2c3d", exists=False)
    ours = {KEY: CLUSTER}

    # --- what the operator must be able to do (else the jar cannot work)
    run.check("op-list-users", "ListUsers (the quota count)", True, op, "iam:ListUsers", "*", {})
    for u in (own, foreign, new):
        run.check(f"op-get-user-{u.name}", f"GetUser {u.name} (existence and ownership check)", True, op,
                  "iam:GetUser", u.arn, request("iam:GetUser", u))
    run.check("op-create-user", "CreateUser with the boundary and only the ownership tag", True, op,
              "iam:CreateUser", new.arn, request("iam:CreateUser", new, ours, boundary))
    run.check("op-tag-on-create-request-context", "TagUser during CreateUser (IAM passes the CreateUser context)",
              True, op, "iam:TagUser", new.arn, request("iam:TagUser", new, ours, boundary))
    run.check("op-tag-on-create-resource-tags", "TagUser during CreateUser (IAM presents the new tags as the"
              " user's)", True, op, "iam:TagUser", new.arn,
              request("iam:TagUser", new, ours, tags_as_resource=True))
    run.check("op-put-policy-own", "PutUserPolicy on an owned user with the boundary", True, op,
              "iam:PutUserPolicy", own.arn, request("iam:PutUserPolicy", own))
    run.check("op-put-boundary-own", "PutUserPermissionsBoundary (the stack's boundary) on an owned user", True,
              op, "iam:PutUserPermissionsBoundary", own_unbounded.arn,
              request("iam:PutUserPermissionsBoundary", own_unbounded, boundary=boundary))
    for action in MANAGE:
        run.check(f"op-own-{action[4:]}", f"{action} on an owned user", True, op, action, own.arn,
                  request(action, own))
    run.check("op-delete-virtual-mfa", "DeleteVirtualMFADevice (after deactivating it on an owned user)", True, op,
              "iam:DeleteVirtualMFADevice", f"arn:aws:iam::{ACCOUNT}:mfa/deploy-3f9a1c2e", {})
    run.check("op-refuse-DeleteVirtualMFADevice-as-user", "DeleteVirtualMFADevice named by a user ARN", False, op,
              "iam:DeleteVirtualMFADevice", own.arn, request("iam:DeleteVirtualMFADevice", own))
    for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"):
        run.check(f"op-registry-{action[9:]}", f"{action} on the registry", True, op, action, table, {})
    run.check("op-registry-Query", "dynamodb:Query on the principal index", True, op, "dynamodb:Query",
              table + "/index/principalId-index", {})

    # --- refusals the issue lists
    for u in (foreign, foreign_team, other_cluster):
        for action in MANAGE:
            run.check(f"op-refuse-{action[4:]}-{u.name}", f"{action} on {u.name} (tags {u.tags})", False, op,
                      action, u.arn, request(action, u))
        for action in ("iam:PutUserPolicy", "iam:PutUserPermissionsBoundary"):
            run.check(f"op-refuse-{action[4:]}-{u.name}", f"{action} on {u.name} (tags {u.tags})", False, op,
                      action, u.arn, request(action, u, boundary=boundary))
    refuse_create_without_boundary_or_tag(run, "op", op, new, ours, boundary)
    run.check("op-refuse-create-other-cluster-tag", "CreateUser tagged for another cluster", False, op,
              "iam:CreateUser", new.arn, request("iam:CreateUser", new, {KEY: "prod-us"}, boundary))
    run.check("op-refuse-create-extra-tag", "CreateUser with the ownership tag and one more", False, op,
              "iam:CreateUser", new.arn, request("iam:CreateUser", new, {KEY: CLUSTER, "admin": "yes"}, boundary))
    for action in WIDEN:
        for u in (own, foreign):
            run.check(f"op-refuse-{action[4:]}-{u.name}", f"{action} on {u.name}", False, op, action, u.arn,
                      request(action, u))
    run.check("op-refuse-AttachGroupPolicy", "AttachGroupPolicy", False, op, "iam:AttachGroupPolicy",
              f"arn:aws:iam::{ACCOUNT}:group/admins", {})
    run.check("op-refuse-AddUserToGroup-admins", "AddUserToGroup admins", False, op, "iam:AddUserToGroup",
              f"arn:aws:iam::{ACCOUNT}:group/admins", {})
    run.check("op-refuse-tag-foreign-into-scope", "TagUser alice (untagged) with the ownership tag", False, op,
              "iam:TagUser", foreign.arn, request("iam:TagUser", foreign, ours))
    run.check("op-refuse-tag-foreign-team-into-scope", "TagUser bob (team=payments) with the ownership tag",
              False, op, "iam:TagUser", foreign_team.arn, request("iam:TagUser", foreign_team, ours))
    run.check("op-refuse-tag-other-cluster-into-scope", "TagUser another cluster's user with our tag", False, op,
              "iam:TagUser", other_cluster.arn, request("iam:TagUser", other_cluster, ours))
    run.check("op-refuse-untag-ownership", "UntagUser the ownership key of an owned user", False, op,
              "iam:UntagUser", own.arn, {**request("iam:UntagUser", own), "aws:TagKeys": [KEY]})
    run.check("op-refuse-put-policy-unbounded", "PutUserPolicy on an owned user whose boundary was removed", False,
              op, "iam:PutUserPolicy", own_unbounded.arn, request("iam:PutUserPolicy", own_unbounded))
    run.check("op-refuse-put-other-boundary", "PutUserPermissionsBoundary with another policy", False, op,
              "iam:PutUserPermissionsBoundary", own.arn,
              request("iam:PutUserPermissionsBoundary", own, boundary=f"arn:aws:iam::{ACCOUNT}:policy/ReadOnly"))
    for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy",
                   "iam:DeletePolicyVersion"):
        run.check(f"op-refuse-boundary-{action[4:]}", f"{action} on the boundary policy", False, op, action,
                  boundary, {})
    for action, resource in (("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/admin"),
                             ("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/x"),
                             ("iam:RemoveUserFromGroup", f"arn:aws:iam::{ACCOUNT}:group/quarantine"),
                             ("sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/admin"),
                             ("s3:GetObject", "arn:aws:s3:::any-bucket/AWSLogs/x"),
                             ("ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.com"),
                             ("dynamodb:DeleteItem", table),
                             ("dynamodb:GetItem", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/payments")):
        run.check(f"op-refuse-{action.replace(':', '-')}-{resource.rsplit('/', 1)[-1]}", f"{action} {resource}",
                  False, op, action, resource, {})

    # --- parameters that add a permission
    t_mail = run.template(EmailIdentity="alerts.example.com")
    op_mail = role_node(t_mail, "OperatorRole")
    run.check("op-email-enabled", "ses:SendEmail as the EmailIdentity when it is set", True, op_mail,
              "ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/alerts.example.com", {})
    run.check("op-email-other-identity", "ses:SendEmail as another identity", False, op_mail, "ses:SendEmail",
              f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.org", {})
    t_groups = run.template(AllowRemoveFromGroups="true")
    run.check("op-remove-from-group-enabled", "RemoveUserFromGroup with AllowRemoveFromGroups=true", True,
              role_node(t_groups, "OperatorRole"), "iam:RemoveUserFromGroup",
              f"arn:aws:iam::{ACCOUNT}:group/quarantine", {})
    t_path = run.template(TokenUserPath="/service/")
    op_path = role_node(t_path, "OperatorRole")
    run.check("op-path-create-inside", "CreateUser under TokenUserPath=/service/", True, op_path, "iam:CreateUser",
              f"{USERS}/service/svc-0a1b2c3d",
              request("iam:CreateUser", new, ours, t_path.ref("UserBoundary")))
    run.check("op-path-refuse-outside", "CreateUser outside TokenUserPath=/service/", False, op_path,
              "iam:CreateUser", f"{USERS}/svc-0a1b2c3d",
              request("iam:CreateUser", new, ours, t_path.ref("UserBoundary")))
    t_key = run.template(OwnershipTagKey="cost-center")
    run.check("op-tag-key-parameter", "CreateUser tagged with OwnershipTagKey=cost-center", True,
              role_node(t_key, "OperatorRole"), "iam:CreateUser", new.arn,
              request("iam:CreateUser", new, {"cost-center": CLUSTER}, t_key.ref("UserBoundary")))
    run.check("op-tag-key-parameter-refuses-default", "CreateUser tagged team= when the key is cost-center", False,
              role_node(t_key, "OperatorRole"), "iam:CreateUser", new.arn,
              request("iam:CreateUser", new, ours, t_key.ref("UserBoundary")))


def widened_cases(run):
    """The explicit denies hold when someone later attaches an Allow *:* to the operator role."""
    t = run.template()
    role = role_node(t, "OperatorRole")
    allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    op = Node(role.arn, role.id_value, role.attached_policies + [Policy(role.arn, "widened", allow_all)], None,
              role.trust_policy, None, 0, False, False, None, False, {})
    boundary = t.ref("UserBoundary")
    own = User("deploy-3f9a1c2e", {KEY: CLUSTER}, boundary)
    own_unbounded = User("deploy-77aa01bc", {KEY: CLUSTER}, None)
    foreign = User("alice")
    foreign_team = User("bob", {KEY: "payments"})
    new = User("svc-0a1b2c3d", exists=False)
    ours = {KEY: CLUSTER}
    run.check("widened-still-creates", "CreateUser with the boundary and the tag", True, op, "iam:CreateUser",
              new.arn, request("iam:CreateUser", new, ours, boundary))
    run.check("widened-refuse-tag-foreign-into-scope", "TagUser alice with the ownership tag", False, op,
              "iam:TagUser", foreign.arn, request("iam:TagUser", foreign, ours))
    run.check("widened-refuse-tag-foreign-team-into-scope", "TagUser bob (team=payments) with the ownership tag",
              False, op, "iam:TagUser", foreign_team.arn, request("iam:TagUser", foreign_team, ours))
    refuse_create_without_boundary_or_tag(run, "widened", op, new, ours, boundary)
    run.check("widened-refuse-untag-ownership", "UntagUser the ownership key", False, op, "iam:UntagUser",
              own.arn, {**request("iam:UntagUser", own), "aws:TagKeys": [KEY]})
    run.check("widened-refuse-put-policy-unbounded", "PutUserPolicy on an owned user without the boundary", False,
              op, "iam:PutUserPolicy", own_unbounded.arn, request("iam:PutUserPolicy", own_unbounded))
    for action in WIDEN + ["iam:AttachGroupPolicy", "iam:PutGroupPolicy", "iam:AttachRolePolicy", "iam:PassRole",
                           "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]:
        run.check(f"widened-refuse-{action[4:]}", f"{action} on an owned user", False, op, action, own.arn,
                  request(action, own))
    for action in ("iam:DeletePolicy", "iam:DeletePolicyVersion"):
        run.check(f"widened-refuse-boundary-{action[4:]}", f"{action} on the boundary", False, op, action,
                  boundary, {})
    for u in (foreign, foreign_team):
        for action in MANAGE + ["iam:PutUserPolicy", "iam:PutUserPermissionsBoundary"]:
            run.check(f"widened-refuse-{action[4:]}-{u.name}", f"{action} on {u.name}", False, op, action, u.arn,
                      request(action, u, boundary=boundary))


def detector_cases(run):
    t = run.template()
    det = role_node(t, "DetectorRole")
    queue = t.get_att("Queue", "Arn")
    bucket = t.ref("LogBucket")
    table = t.get_att("Registry", "Arn")
    log = f"arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/2026/12/02/{ACCOUNT}_CloudTrail_x.json.gz"
    for action in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                   "sqs:GetQueueAttributes"):
        run.check(f"det-{action[4:]}", f"{action} on its queue", True, det, action, queue, {})
    run.check("det-refuse-other-queue", "sqs:ReceiveMessage on another queue", False, det, "sqs:ReceiveMessage",
              f"arn:aws:sqs:{REGION}:{ACCOUNT}:payments", {})
    for action in ("sqs:SendMessage", "sqs:PurgeQueue"):
        run.check(f"det-refuse-{action[4:]}", f"{action} on its queue", False, det, action, queue, {})
    run.check("det-log-file", "s3:GetObject on a log file", True, det, "s3:GetObject", log, {})
    run.check("det-refuse-outside-prefix", "s3:GetObject outside the log prefix", False, det, "s3:GetObject",
              f"arn:aws:s3:::{bucket}/exports/customers.csv", {})
    run.check("det-refuse-other-bucket", "s3:GetObject in another bucket", False, det, "s3:GetObject",
              f"arn:aws:s3:::payments-data/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz", {})
    for action in ("s3:PutObject", "s3:DeleteObject", "s3:ListBucket"):
        run.check(f"det-refuse-{action[3:]}", f"{action} in the log bucket", False, det, action, log, {})
    run.check("det-decrypt-log-key", "kms:Decrypt with the log key", True, det, "kms:Decrypt",
              t.get_att("LogKey", "Arn"), {})
    run.check("det-refuse-other-key", "kms:Decrypt with another key", False, det, "kms:Decrypt",
              f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0000", {})
    for action in ("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query"):
        run.check(f"det-registry-{action[9:]}", f"{action} on the registry", True, det, action, table, {})
    for action in ("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"):
        run.check(f"det-refuse-registry-{action[9:]}", f"{action} on the registry", False, det, action, table, {})
    for action in ("iam:CreateUser", "iam:CreateAccessKey", "iam:ListUsers", "ses:SendEmail"):
        run.check(f"det-refuse-{action.replace(':', '-')}", action, False, det, action, "*", {})

    t_prefix = run.template(LogPrefix="audit")
    det_prefix = role_node(t_prefix, "DetectorRole")
    b = t_prefix.ref("LogBucket")
    run.check("det-prefix-inside", "s3:GetObject under LogPrefix=audit", True, det_prefix, "s3:GetObject",
              f"arn:aws:s3:::{b}/audit/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz", {})
    run.check("det-prefix-refuse-outside", "s3:GetObject without the prefix when LogPrefix=audit", False,
              det_prefix, "s3:GetObject", f"arn:aws:s3:::{b}/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz", {})

    t_s3 = run.template(LogEncryption="s3")
    run.check("det-no-key-with-s3-encryption", "kms:Decrypt when LogEncryption=s3", False,
              role_node(t_s3, "DetectorRole"), "kms:Decrypt", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0000", {})

    existing_key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/org-trail-key"
    t_org = run.template(ExistingTrailBucketName="org-trail-logs",
                         ExistingTrailTopicArn=f"arn:aws:sns:{REGION}:{ACCOUNT}:org-trail",
                         ExistingLogKeyArn=existing_key)
    det_org = role_node(t_org, "DetectorRole")
    run.check("det-existing-trail-bucket", "s3:GetObject in an existing trail's bucket", True, det_org,
              "s3:GetObject", f"arn:aws:s3:::org-trail-logs/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz", {})
    run.check("det-existing-trail-key", "kms:Decrypt with the existing trail's key", True, det_org, "kms:Decrypt",
              existing_key, {})
    run.check("det-existing-trail-other-key", "kms:Decrypt with another key (existing trail)", False, det_org,
              "kms:Decrypt", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/other", {})


def trust_cases(run):
    t = run.template()
    for role, sa in (("OperatorRole", "spacecrab-operator"), ("DetectorRole", "spacecrab-detector")):
        trust = t.trust_policy(role)
        federated = trust["Statement"][0]["Principal"]["Federated"]
        run.case(f"trust-{role}-provider", f"{role} trusts the cluster's OIDC provider only",
                 True, federated == f"arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER}")

        def irsa(sub, aud="sts.amazonaws.com", _trust=trust):
            ctx = CaseInsensitiveDict({f"{ISSUER}:sub": sub, f"{ISSUER}:aud": aud})
            return policy_has_matching_statement(_trust, "Allow", "sts:AssumeRoleWithWebIdentity", "*", ctx)

        run.case(f"trust-{role}-irsa", f"{role}: token of {sa}", True, irsa(f"system:serviceaccount:spacecrab-system:{sa}"))
        run.case(f"trust-{role}-refuse-other-sa", f"{role}: token of another ServiceAccount", False,
                 irsa("system:serviceaccount:spacecrab-system:default"))
        run.case(f"trust-{role}-refuse-other-namespace", f"{role}: token of {sa} in another namespace", False,
                 irsa(f"system:serviceaccount:tenant-a:{sa}"))
        run.case(f"trust-{role}-refuse-other-audience", f"{role}: token for another audience", False,
                 irsa(f"system:serviceaccount:spacecrab-system:{sa}", aud="vault"))

    t_pod = run.template(TrustMode="pod-identity", OidcIssuer="", EksClusterName="prod-eu")
    trust = t_pod.trust_policy("OperatorRole")

    def pod(namespace, sa, cluster="prod-eu", action="sts:AssumeRole"):
        ctx = CaseInsensitiveDict({"aws:SourceAccount": ACCOUNT, "aws:RequestTag/eks-cluster-name": cluster,
                                   "aws:RequestTag/kubernetes-namespace": namespace,
                                   "aws:RequestTag/kubernetes-service-account": sa})
        return policy_has_matching_statement(trust, "Allow", action, "*", ctx)

    run.case("trust-pod-identity", "Pod Identity: operator ServiceAccount", True,
             pod("spacecrab-system", "spacecrab-operator") and pod("spacecrab-system", "spacecrab-operator",
                                                                   action="sts:TagSession"))
    run.case("trust-pod-identity-refuse-other-sa", "Pod Identity: another ServiceAccount", False,
             pod("spacecrab-system", "default"))
    run.case("trust-pod-identity-refuse-other-cluster", "Pod Identity: another cluster", False,
             pod("spacecrab-system", "spacecrab-operator", cluster="staging"))


def token_user_cases(run):
    """A token user as the operator leaves it, and as a compromised operator could widen it."""
    t = run.template()
    boundary = Policy(t.ref("UserBoundary"), "UserBoundary", t.managed_policy("UserBoundary"))
    deny_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    arn = f"{USERS}/deploy-3f9a1c2e"
    for label, doc in (("as-issued", deny_all), ("widened", allow_all)):
        node = Node(arn, "AIDAEXAMPLETOKENUSER", [Policy(arn, "default", doc)], None, None, None, 1, False, False,
                    boundary, False, {})
        for action, resource in (("s3:ListAllMyBuckets", "*"), ("iam:CreateUser", f"{USERS}/x"),
                                 ("sqs:ListQueues", "*"), ("dynamodb:ListTables", "*")):
            run.check(f"token-{label}-{action.replace(':', '-')}", f"token user ({label} inline policy): {action}",
                      False, node, action, resource, {})


def lint_cases(run):
    from cloudsplaining.scan.policy_document import PolicyDocument
    import parliament

    # A finding parliament reports that is expected: the TagOnCreate statement conditions iam:TagUser on
    # iam:PermissionsBoundary, which IAM documents for CreateUser only (see the module doc).
    expected = {("UNKNOWN_CONDITION_FOR_ACTION", "Unknown condition iam:PermissionsBoundary for action iam:TagUser")}
    for params in ({}, {"EmailIdentity": "alerts.example.com", "AllowRemoveFromGroups": "true"}):
        t = run.template(**params)
        for role in ("OperatorRole", "DetectorRole"):
            for name, doc in t.role_policies(role):
                pd = PolicyDocument(doc)
                problems = {k: v for k, v in (
                    ("privilege escalation", pd.allows_privilege_escalation),
                    ("permissions management without constraints", pd.permissions_management_without_constraints),
                    ("write without constraints", pd.write_actions_without_constraints),
                    ("credentials exposure", pd.credentials_exposure),
                    ("data exfiltration", pd.allows_data_exfiltration_actions)) if v}
                suffix = "-opt" if params else ""
                run.finding(f"cloudsplaining-{name}{suffix}", f"cloudsplaining finds nothing in {role}/{name}",
                            problems)
                findings = {(f.issue, str(f.detail)) for f in parliament.analyze_policy_string(json.dumps(doc)).findings}
                run.finding(f"parliament-{name}{suffix}", f"parliament finds nothing unexpected in {role}/{name}",
                            sorted(findings - expected))


def main():
    run = Run()
    operator_cases(run)
    widened_cases(run)
    detector_cases(run)
    trust_cases(run)
    token_user_cases(run)
    lint_cases(run)
    failed = run.results.count(False)
    print(f"{len(run.results)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
