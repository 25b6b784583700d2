"""The stack template with its intrinsic functions resolved for fixed parameters, offline.

Enough of CloudFormation for spacecrab.yaml: parameters and pseudo parameters, conditions
(Equals, Not, And, Or, Condition), Ref, Fn::GetAtt, Fn::Sub (both forms), Fn::If, Fn::Join and
AWS::NoValue. Resources get made-up physical ids in the shape AWS gives them, so that ARNs in
policies look like the real ones.

    python cloudformation/tests/template.py privileges [docs/aws.md]

prints the least-privilege tables of docs/aws.md (a test keeps them equal); with a file
argument (docs/aws.md) it rewrites them there.

    python cloudformation/tests/template.py render OUT.json [Key=Value ...]

writes the template with every policy document that is a Fn::Sub string (IAM condition keys that
hold a parameter can only be written that way) replaced by the JSON object it resolves to, so
that checkov can read those policies too.
"""

import json
import os
import re
import sys
from pathlib import Path

from cfnlint.decode import decode

TEMPLATE = Path(os.environ.get("SPACECRAB_TEMPLATE") or Path(__file__).resolve().parent.parent / "spacecrab.yaml")
ACCOUNT = "111122223333"
REGION = "eu-west-1"
STACK = "spacecrab"

NO_VALUE = object()


class Template:
    """spacecrab.yaml for one set of parameter values."""

    def __init__(self, parameters=None, path=TEMPLATE, symbolic=False):
        raw, matches = decode(str(path))
        if raw is None:
            raise ValueError(f"cannot parse {path}: {matches}")
        self.raw = _plain(raw)
        self.parameters = {}
        for name, spec in self.raw.get("Parameters", {}).items():
            self.parameters[name] = str(spec.get("Default", ""))
        for name, value in (parameters or {}).items():
            if name not in self.parameters:
                raise KeyError(f"the template has no parameter {name}")
            self.parameters[name] = value
        self.symbolic = symbolic
        self.pseudo = {
            "AWS::AccountId": "<account>" if symbolic else ACCOUNT,
            "AWS::Region": "<region>" if symbolic else REGION,
            "AWS::Partition": "aws",
            "AWS::StackName": "<stack>" if symbolic else STACK,
            "AWS::URLSuffix": "amazonaws.com",
        }
        self._conditions = {}

    # ------------------------------------------------------------------ conditions and resources

    def condition(self, name):
        if name not in self._conditions:
            self._conditions[name] = bool(self._eval_condition(self.raw["Conditions"][name]))
        return self._conditions[name]

    def _eval_condition(self, node):
        (fn, args), = node.items()
        if fn == "Fn::Equals":
            return self.resolve(args[0]) == self.resolve(args[1])
        if fn == "Fn::Not":
            return not self._eval_condition(args[0])
        if fn == "Fn::And":
            return all(self._eval_condition(a) for a in args)
        if fn == "Fn::Or":
            return any(self._eval_condition(a) for a in args)
        if fn == "Condition":
            return self.condition(args)
        raise ValueError(f"unsupported condition function {fn}")

    def resources(self):
        """Logical id -> definition, for the resources this parameter set creates."""
        return {
            name: spec
            for name, spec in self.raw["Resources"].items()
            if "Condition" not in spec or self.condition(spec["Condition"])
        }

    def resource_type(self, name):
        return self.raw["Resources"][name]["Type"]

    def ref(self, name):
        if name in self.parameters:
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        return self._physical(name)["Ref"]

    def get_att(self, name, attribute):
        attrs = self._physical(name)
        if attribute not in attrs:
            raise KeyError(f"no made-up attribute {name}.{attribute}")
        return attrs[attribute]

    def _physical(self, name):
        kind = self.resource_type(name)
        props = self.raw["Resources"][name].get("Properties", {})
        generated = f"<{name}>" if self.symbolic else f"{STACK}-{name}-EXAMPLE0001"
        account, region = self.pseudo["AWS::AccountId"], self.pseudo["AWS::Region"]
        arn_prefix = f"arn:aws:{{}}:{region}:{account}:"
        if kind == "AWS::S3::Bucket":
            bucket = self.resolve(props.get("BucketName", NO_VALUE))
            bucket = (generated if self.symbolic else generated.lower()) if bucket is NO_VALUE else bucket
            return {"Ref": bucket, "Arn": f"arn:aws:s3:::{bucket}"}
        if kind == "AWS::SQS::Queue":
            return {"Ref": f"https://sqs.{region}.amazonaws.com/{account}/{generated}",
                    "Arn": arn_prefix.format("sqs") + generated, "QueueName": generated}
        if kind == "AWS::SNS::Topic":
            arn = arn_prefix.format("sns") + generated
            return {"Ref": arn, "TopicArn": arn, "TopicName": generated}
        if kind == "AWS::KMS::Key":
            key = generated if self.symbolic else "1234abcd-12ab-34cd-56ef-1234567890ab"
            return {"Ref": key, "Arn": arn_prefix.format("kms") + "key/" + key, "KeyId": key}
        if kind == "AWS::DynamoDB::Table":
            table = self.resolve(props.get("TableName", NO_VALUE))
            table = generated if table is NO_VALUE else table
            return {"Ref": table, "Arn": arn_prefix.format("dynamodb") + "table/" + table}
        if kind == "AWS::IAM::ManagedPolicy":
            return {"Ref": f"arn:aws:iam::{account}:policy/{generated}"}
        if kind == "AWS::IAM::Role":
            return {"Ref": generated, "Arn": f"arn:aws:iam::{account}:role/{generated}",
                    "RoleId": "AROAEXAMPLE" + name.upper()[:10]}
        if kind == "AWS::Events::Rule":
            return {"Ref": generated, "Arn": arn_prefix.format("events") + "rule/" + generated}
        if kind == "AWS::CloudTrail::Trail":
            trail = self.resolve(props["TrailName"])
            return {"Ref": trail, "Arn": arn_prefix.format("cloudtrail") + "trail/" + trail}
        return {"Ref": generated}

    # ------------------------------------------------------------------ intrinsic functions

    def resolve(self, node):
        """The value of a template fragment; AWS::NoValue entries vanish from lists and maps."""
        if isinstance(node, list):
            return [v for v in (self.resolve(x) for x in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, args), = node.items()
            if key == "Ref":
                return self.ref(args)
            if key == "Fn::GetAtt":
                name, attribute = args if isinstance(args, list) else args.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::If":
                name, yes, no = args
                return self.resolve(yes if self.condition(name) else no)
            if key == "Fn::Sub":
                return self._sub(args)
            if key == "Fn::Join":
                sep, parts = args
                return sep.join(str(p) for p in self.resolve(parts))
            if key.startswith("Fn::") or key == "Condition":
                raise ValueError(f"unsupported function {key}")
        out = {}
        for key, value in node.items():
            resolved = self.resolve(value)
            if resolved is not NO_VALUE:
                out[key] = resolved
        return out

    def _sub(self, args):
        text, variables = (args, {}) if isinstance(args, str) else (args[0], args[1])
        values = {k: self.resolve(v) for k, v in variables.items()}

        def replace(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in values:
                return str(values[name])
            if "." in name and name.split(".", 1)[0] in self.raw["Resources"]:
                resource, attribute = name.split(".", 1)
                return str(self.get_att(resource, attribute))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def document(self, node):
        """A policy document: Fn::Sub strings are parsed as JSON after substitution."""
        value = self.resolve(node)
        return json.loads(value) if isinstance(value, str) else value

    # ------------------------------------------------------------------ what the stack grants

    def role_policies(self, role):
        """The identity policies of a role: its inline policies and the AWS::IAM::Policy resources on it."""
        resources = self.resources()
        docs = []
        for policy in resources[role].get("Properties", {}).get("Policies", []):
            docs.append((policy["PolicyName"], self.document(policy["PolicyDocument"])))
        for name, spec in resources.items():
            if spec["Type"] != "AWS::IAM::Policy":
                continue
            roles = self.resolve(spec["Properties"].get("Roles", []))
            if self.ref(role) in roles:
                docs.append((name, self.document(spec["Properties"]["PolicyDocument"])))
        return docs

    def trust_policy(self, role):
        return self.document(self.resources()[role]["Properties"]["AssumeRolePolicyDocument"])

    def managed_policy(self, name):
        return self.document(self.resources()[name]["Properties"]["PolicyDocument"])

    def outputs(self):
        return {name: self.resolve(spec["Value"]) for name, spec in self.raw.get("Outputs", {}).items()
                if "Condition" not in spec or self.condition(spec["Condition"])}


def _plain(node):
    """cfn-lint's decoded nodes (str_node, dict_node...) as plain Python values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def rendered_for_checkov(template):
    """The raw template with every Fn::Sub-string policy document replaced by its resolved JSON."""
    out = json.loads(json.dumps(template.raw))
    for name, spec in out["Resources"].items():
        props = spec.get("Properties", {})
        for key in ("PolicyDocument", "AssumeRolePolicyDocument"):
            node = props.get(key)
            if node is None:
                continue
            if _holds_sub_string(node):
                props[key] = template.document(template.raw["Resources"][name]["Properties"][key])
    return out


def _holds_sub_string(node):
    if isinstance(node, dict) and len(node) == 1:
        (key, args), = node.items()
        if key == "Fn::Sub":
            return True
        if key == "Fn::If":
            return any(_holds_sub_string(branch) for branch in args[1:])
    return False


PRIVILEGES_BEGIN = "<!-- least-privilege: generated by `python cloudformation/tests/template.py privileges` -->"
PRIVILEGES_END = "<!-- least-privilege: end -->"


def privileges():
    """The roles' permissions as Markdown tables, from the template (docs/aws.md holds this text)."""
    t = Template({"ClusterId": "<ClusterId>", "OwnershipTagKey": "<OwnershipTagKey>",
                  "OidcIssuer": "<OidcIssuer>", "EmailIdentity": "<EmailIdentity>",
                  "AllowRemoveFromGroups": "true"}, symbolic=True)
    only_with = {"OperatorEmailPolicy": "only with EmailIdentity set",
                 "OperatorGroupRemovalPolicy": "only with AllowRemoveFromGroups=true",
                 "DetectorLogKeyPolicy": "only when the stack creates the log key",
                 "DetectorExistingLogKeyPolicy": "only with ExistingLogKeyArn set"}
    t_existing = Template({"ClusterId": "<ClusterId>", "OidcIssuer": "<OidcIssuer>",
                           "ExistingTrailBucketName": "<ExistingTrailBucketName>",
                           "ExistingTrailTopicArn": "arn:aws:sns:<region>:<account>:<topic>",
                           "ExistingLogKeyArn": "<ExistingLogKeyArn>"}, symbolic=True)
    lines = [PRIVILEGES_BEGIN, ""]
    for role, title in (("OperatorRole", "Operator role"), ("DetectorRole", "Detector role")):
        lines += [f"**{title}** (`{role}`; placeholders in angle brackets are parameters or resources of the stack)",
                  "", "| Statement | Effect | Actions | Resources | Conditions |", "|---|---|---|---|---|"]
        policies = t.role_policies(role)
        if role == "DetectorRole":
            policies += [p for p in t_existing.role_policies(role) if p[0] == "DetectorExistingLogKeyPolicy"]
        for name, doc in policies:
            for st in doc["Statement"]:
                actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
                resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
                conditions = []
                for op, pairs in st.get("Condition", {}).items():
                    for key, value in pairs.items():
                        value = value if isinstance(value, list) else [value]
                        conditions.append(f"{op} `{key}` = {', '.join(f'`{v}`' for v in value)}")
                sid = st.get("Sid", "")
                if name in only_with:
                    sid += f" ({only_with[name]})"
                lines.append(f"| {sid} | {st['Effect']} | {', '.join(f'`{a}`' for a in actions)} | "
                             f"{', '.join(f'`{r}`' for r in resources)} | {'; '.join(conditions) or '—'} |")
        lines.append("")
    lines.append(PRIVILEGES_END)
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) in (2, 3) and argv[1] == "privileges":
        if len(argv) == 2:
            sys.stdout.write(privileges())
            return 0
        doc = Path(argv[2])
        text = doc.read_text()
        start, end = text.index(PRIVILEGES_BEGIN), text.index(PRIVILEGES_END) + len(PRIVILEGES_END) + 1
        doc.write_text(text[:start] + privileges() + text[end:])
        return 0
    if len(argv) >= 3 and argv[1] == "render":
        parameters = dict(a.split("=", 1) for a in argv[3:])
        Path(argv[2]).write_text(json.dumps(rendered_for_checkov(Template(parameters)), indent=1))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
