"""Cloud Tasks queues with their rate and retry limits; tasks call their target with an OIDC token of the
queue's own service account, which may invoke only that target. Workloads that depend on the queue may
enqueue tasks and sign them as that account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform


def queue_names(component: Component) -> list[str]:
    queues = component.spec.queues
    if isinstance(queues, int):
        return [component.name if queues == 1 else f"{component.name}-{i}" for i in range(1, queues + 1)]
    return [queue.name for queue in queues]


def queue_id(name: str) -> str:
    """What follows <prefix>- in a queue's name: its Terraform name and the README's."""
    return slug(name)


def created_names(ctx, component: Component) -> list[str]:
    return [f"{ctx.prefix}-{queue_id(name)}" for name in queue_names(component)]


def queue_ref(component: Component, name: str) -> str:
    return f"{ident(component.name)}_{ident(name)}" if name != component.name else ident(name)


def invoker_key(component: Component) -> str:
    return f"{component.name}-tasks"


def task_targets(ctx, component: Component) -> list[Component]:
    """The services the queue's tasks call: each listed queue's target, and the services the queue depends_on
    (how a plan with `queues: N` names them, and how check follows the hand-off)."""
    names = [q.target for q in component.spec.queues if q.target] if isinstance(component.spec.queues, list) else []
    names += [d.name for d in component.spec.depends_on
              if d.name in ctx.components and ctx.components[d.name].kind in _workloads.SERVICE_URLS]
    return [ctx.components[name] for name in dict.fromkeys(names)]


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("cloudtasks.googleapis.com")
    queues = spec.queues if isinstance(spec.queues, list) else [None] * spec.queues
    # every queue's target and the services the queue depends on (the spec admits only services and functions)
    targets = task_targets(ctx, component)
    key = invoker_key(component)
    email = tf.service_account(key, f"Identity the tasks of {component.name} call their targets with.") \
        if targets else None
    for index, (name, queue) in enumerate(zip(queue_names(component), queues)):
        body: dict = {"name": Tpl(f"${{var.prefix}}-{queue_id(name)}"), "location": tf.region(component)}
        if queue is not None and queue.max_dispatches_per_second is not None:
            body["rate_limits"] = nested({"max_dispatches_per_second": queue.max_dispatches_per_second})
        if queue is not None and queue.max_attempts is not None:
            body["retry_config"] = nested({"max_attempts": queue.max_attempts})
        if queue is not None and queue.target:
            # Queue-level routing: every task goes to the target, with an OIDC token of the queue's account, so
            # the enqueuer needs neither the target's URL nor to sign the task itself.
            url = Expr(_workloads.SERVICE_URLS[ctx.components[queue.target].kind].format(ident(queue.target)))
            body["http_target"] = nested({
                "http_method": "POST",
                "uri_override": nested({"scheme": "HTTPS", "host": Expr(f'trimprefix({url}, "https://")'),
                                        "uri_override_enforce_mode": "ALWAYS"}),
                "oidc_token": nested({"service_account_email": email, "audience": url}),
            })
        body["stackdriver_logging_config"] = nested({"sampling_ratio": 1})
        items = [tf.about(component)] if index == 0 else []
        tf.add("tasks.tf", *items, resource("google_cloud_tasks_queue", queue_ref(component, name), body))
    if targets:
        for target in targets:
            service = Expr(_workloads.SERVICE_NAMES[target.kind].format(ident(target.name)))
            _workloads.invoker(tf, target, key, service)
        tf.output(f"{ident(component.name)}_task_service_account", email,
                  f"Service account to put in the OIDC token of {component.name}'s HTTP tasks.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """A workload that depends on the queues may enqueue tasks, signed as the queue's service account."""
    for name in queue_names(component):
        ref = queue_ref(component, name)
        tf.add("iam.tf", resource("google_cloud_tasks_queue_iam_member", f"{ident(workload.key)}_enqueues_{ref}", {
            "name": Expr(f"google_cloud_tasks_queue.{ref}.name"),
            "location": tf.region(component),
            "role": "roles/cloudtasks.enqueuer",
            "member": tf.member(workload.key),
        }))
    if task_targets(tf.ctx, component):
        key = invoker_key(component)
        tf.add("iam.tf", resource("google_service_account_iam_member",
                                  f"{ident(workload.key)}_acts_as_{ident(key)}", {
                                      "service_account_id": Expr(f"google_service_account.{ident(key)}.name"),
                                      "role": "roles/iam.serviceAccountUser",
                                      "member": tf.member(workload.key),
                                  }))
