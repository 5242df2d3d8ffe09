import re

from archplan.check.rules import Rule

RULE = Rule("SEC-002", "error", "security", "a secret is written in the plan instead of Secret Manager",
            "Secrets in plans end up in repositories, images and logs; read them from Secret Manager.",
            "store it in Secret Manager and reference it: env: {NAME: {secret: secret-id}}")
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)", re.IGNORECASE)


def _workloads(plan):
    for component in plan.components:
        if hasattr(component.spec, "env"):
            yield component, component.spec, ("env",)
        for index, deployment in enumerate(getattr(component.spec, "deployments", []) or []):
            yield component, deployment, ("deployments", index, "env")


def check(plan):
    out = []
    for component, workload, key in _workloads(plan):
        for name, value in workload.env.items():
            if not isinstance(value, str) and getattr(value, "secret", None) is True:
                out.append(RULE.finding(plan, f"{name} is a literal value marked secret in the plan.",
                                        component.name, key + (name,)))
            elif isinstance(value, str) and SECRET_NAME.search(name) and value:
                out.append(RULE.finding(plan, f"{name} looks like a secret but is a plain value in the plan.",
                                        component.name, key + (name,)))
    return out
