"""Collects Terraform blocks per file while the kind modules run, then renders the files.

Kind modules call `add(file, ...)` for their resources and ask for shared pieces (the VPC, a service account,
a secret, a variable) through the methods below; each shared piece is written once, in its own file.
"""
from __future__ import annotations

from archplan.generate import hcl
from archplan.generate.context import Context, ident, slug
from archplan.generate.hcl import Block, Expr, Tpl, nested, resource

GOOGLE_PROVIDER = "~> 6.50.0"  # the last 6.x release: the schema tests cover exactly it
RANDOM_PROVIDER = "~> 3.7"  # 3.7 has the ephemeral random_password
ARCHIVE_PROVIDER = "~> 2.7"
TERRAFORM_VERSION = ">= 1.11.0"  # write-only arguments (secret_data_wo, password_wo) and ephemeral resources


class Terraform:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.files: dict[str, list] = {}
        self.variables: dict[str, Block] = {}
        self.outputs: dict[str, Block] = {}
        self.apis: set[str] = set()
        self.flags: set[str] = set()
        self._service_accounts: dict[str, str] = {}
        self._secrets: set[str] = set()
        self._project_roles: set[tuple[str, str]] = set()
        self.workload_secrets: dict[str, list[str]] = {}
        # Secret versions the user adds by hand (a workload pins a version number): (secret's name, version).
        self.user_supplied: list[tuple[str, str]] = []
        self.extra_files: dict[str, str] = {}  # files next to the .tf files, written as they are
        self.unlocked_providers: list[str] = []  # required providers the lock file has no entry for
        self.warnings = ctx.warnings  # what the plan states that the Terraform cannot express
        self.subnet_regions: set[str] = set()  # regions whose subnet of the VPC something uses

    # ----- files -----
    def add(self, filename: str, *items) -> None:
        self.files.setdefault(filename, []).extend(items)

    def api(self, *names: str) -> None:
        self.apis.update(names)

    def variable(self, name: str, type_: str, description: str, default=..., validations=(),
                 sensitive: bool = False, nullable: bool | None = None, ephemeral: bool = False) -> Expr:
        if name not in self.variables:
            body: dict = {"description": description, "type": Expr(type_)}
            if default is not ...:
                body["default"] = default
            if nullable is not None:
                body["nullable"] = nullable
            if sensitive:
                body["sensitive"] = True
            if ephemeral:
                body["ephemeral"] = True
            if validations:
                body["validation"] = [nested({"condition": Expr(condition), "error_message": message})
                                      for condition, message in validations]
            self.variables[name] = Block("variable", (name,), body)
        return Expr(f"var.{name}")

    def output(self, name: str, value, description: str, sensitive: bool = False) -> None:
        body = {"description": description, "value": value}
        if sensitive:
            body["sensitive"] = True
        self.outputs[name] = Block("output", (name,), body)

    # ----- shared pieces -----
    def network(self, region: str | None = None) -> tuple[Expr, Expr]:
        """The plan's VPC and its subnet in `region` (default: the plan's region), in network.tf."""
        self.flags.add("network")
        return Expr("google_compute_network.vpc.id"), Expr(f"{subnet_address(self.ctx, self.subnet(region))}.id")

    def subnet(self, region: str | None) -> str:
        """Ask for the VPC's subnet in a region; returns the region."""
        region = region or self.ctx.region
        self.subnet_regions.add(region)
        return region

    # ----- regions -----
    def region(self, component_or_region) -> Expr | str:
        """Where a regional resource goes: `var.region` in the plan's region, the region itself elsewhere
        (a component that names its own region)."""
        region = component_or_region if isinstance(component_or_region, str) else component_or_region.region
        return Expr("var.region") if region == self.ctx.region else region

    def region_text(self, component_or_region) -> str:
        """The region inside a Terraform string (a Tpl): `${var.region}`, or the region itself."""
        region = component_or_region if isinstance(component_or_region, str) else component_or_region.region
        return "${var.region}" if region == self.ctx.region else region

    def private_services(self) -> Expr:
        """Private services access (VPC peering with Google's services network), for private Cloud SQL and
        Memorystore. Returns what to depend on."""
        self.network()
        self.flags.add("private_services")
        return Expr("google_service_networking_connection.private_services")

    def service_account(self, key: str, description: str) -> Expr:
        """A service account of its own for a workload (iam.tf); returns its email."""
        name = f"{ident(key)}"
        if key not in self._service_accounts:
            self._service_accounts[key] = name
            self.api("iam.googleapis.com")
            self.add("iam.tf", resource("google_service_account", name, {
                "account_id": self.ctx.service_account_id(key),
                "display_name": Tpl(f"{key} (${{var.prefix}})"),
                "description": description,
            }))
        return Expr(f"google_service_account.{name}.email")

    def member(self, key: str) -> Tpl:
        return Tpl(f"serviceAccount:${{google_service_account.{ident(key)}.email}}")

    def project_role(self, key: str, role: str, why: str) -> Expr:
        """A project-level role for a service account, for services with no resource-level IAM. Returns the
        grant's address (what to depend on)."""
        name = f"{ident(key)}_{ident(role.split('/')[-1])}"
        if (key, role) not in self._project_roles:
            self._project_roles.add((key, role))
            self.add("iam.tf", f"{why}", resource("google_project_iam_member", name, {
                "project": Expr("var.project_id"),
                "role": role,
                "member": self.member(key),
            }))
        return Expr(f"google_project_iam_member.{name}")

    def secret(self, secret_id: str, terraform_name: str, description: str,
               regions: list[str] | None = None) -> Expr:
        """A Secret Manager secret (secrets.tf); its value is added as a version elsewhere. Returns its id.
        regions: the plan's user-managed replica regions for it (None: the project's rule)."""
        if terraform_name not in self._secrets:
            self._secrets.add(terraform_name)
            self.api("secretmanager.googleapis.com")
            self.add("secrets.tf", description, resource("google_secret_manager_secret", terraform_name, {
                "secret_id": Tpl(secret_id.replace(self.ctx.prefix, "${var.prefix}", 1))
                if secret_id.startswith(self.ctx.prefix + "-") else secret_id,
                "labels": Expr("local.labels"),
                "replication": self.replication(regions),
            }))
        return Expr(f"google_secret_manager_secret.{terraform_name}.secret_id")

    def replication(self, regions: list[str] | None = None) -> Block:
        if regions:  # the plan's replication_regions
            replicas = [nested({"location": self.region(region)}) for region in regions]
            return nested({"user_managed": nested({"replicas": replicas[0] if len(replicas) == 1 else replicas})})
        if self.ctx.project.data_residency:
            # Data must stay in one country: keep the secret's replicas in the plan's regions (every region a
            # workload runs in reads it from a replica of its own).
            replicas = [nested({"location": self.region(region)}) for region in self.ctx.regions]
            return nested({"user_managed": nested({"replicas": replicas[0] if len(replicas) == 1 else replicas})})
        return nested({"auto": nested({})})

    def secret_version(self, terraform_name: str, value: Expr, write_only: bool = True) -> None:
        """A version of a secret. write_only: version 1 through the write-only argument, for a value that is
        nowhere else in the state (to rotate: add a version with gcloud, or raise secret_data_wo_version);
        otherwise the value another resource already keeps in state, followed when it changes."""
        data = {"secret_data_wo": value, "secret_data_wo_version": 1} if write_only else {"secret_data": value}
        self.add("secrets.tf", resource("google_secret_manager_secret_version", terraform_name, {
            "secret": Expr(f"google_secret_manager_secret.{terraform_name}.id"), **data}))

    def publish_for_pods(self, component, what: str, value: Expr, description: str) -> None:
        """A value known only after apply (a private host) also goes to Secret Manager when a GKE deployment
        uses the component, so manifests written now can mount it (links.EnvLink.published names it)."""
        if component.name in self.ctx.gke_dependency_names:
            self.secret(f"{self.ctx.name(component)}-{what}", f"{ident(component.name)}_{what}", description)
            self.secret_version(f"{ident(component.name)}_{what}", value, write_only=False)

    def secret_accessor(self, key: str, secret_ref_name: str) -> None:
        name = accessor_name(key, secret_ref_name)
        self.add("iam.tf", resource("google_secret_manager_secret_iam_member", name, {
            "secret_id": Expr(f"google_secret_manager_secret.{secret_ref_name}.id"),
            "role": "roles/secretmanager.secretAccessor",
            "member": self.member(key),
        }))

    def commitment_not_bought(self, component, commitment: str, what: str, how: str) -> None:
        """A warning: the plan prices `what` at a committed-use price, which nothing generated buys (a
        commitment is a 1- or 3-year contract, bought apart from the resources it discounts)."""
        if commitment != "none":
            self.warnings.append(f"{component.name}: {what} is priced at the {commitment} committed-use price, "
                                 f"but no generated file buys the commitment ({how}); until it is bought, "
                                 "the on-demand price is billed")

    def about(self, component) -> str:
        """A comment naming the plan component a resource comes from, with the first sentence of its
        description."""
        text = f"{component.name} ({component.kind}) in {self.ctx.source_name}"
        description = " ".join((component.spec.description or "").split())
        if description:
            first = description.split(". ")[0].rstrip(".")
            text += ": " + (first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + "...")
        return text

    def cmek_skip(self, check_id: str) -> str:
        """The checkov skip of a customer-managed-key check, with the reason that is true of this plan: its Cloud
        KMS keys, if it has any, are its application's own (the plan names none as this resource's key)."""
        keys = [f"{c.name}/{key.name}" for c in self.ctx.of_kind("cloud_kms") for key in c.spec.keys]
        if keys:
            return (f"#checkov:skip={check_id}:Google-managed encryption; the plan's Cloud KMS keys "
                    f"({', '.join(keys)}) are not named as this resource's key")
        return f"#checkov:skip={check_id}:Google-managed encryption; the plan has no Cloud KMS key to encrypt with"

    def named(self, component_or_name) -> Tpl:
        """<var.prefix>-<name> as a Terraform string."""
        text = component_or_name if isinstance(component_or_name, str) else component_or_name.name
        return Tpl(f"${{var.prefix}}-{slug(text)}")

    # ----- rendering -----
    def render(self, header: str) -> dict[str, str]:
        files = {}
        for items in self.files.values():
            for item in items:
                after_apis(item)
        for filename, items in self.files.items():
            files[filename] = header + hcl.render(items)
        if self.variables:
            files["variables.tf"] = header + hcl.render(list(self.variables.values()))
        if self.outputs:
            files["outputs.tf"] = header + hcl.render(list(self.outputs.values()))
        for path, text in self.extra_files.items():
            files[path] = with_header(path, header, text)
        return dict(sorted(files.items()))


SLASH_COMMENTS = (".js", ".go", "go.mod", ".java", ".cs")
XML = (".xml", ".csproj")


def with_header(path: str, header: str, text: str) -> str:
    """A file next to the .tf files with the generated-file header (lines starting with #) in its own comment
    syntax: // or #, an XML comment, after PHP's opening tag; none in a Gemfile.lock, whose parser knows no
    comment."""
    lines = [line[1:] for line in header.splitlines()]
    if path.endswith("Gemfile.lock"):
        return text
    if path.endswith(XML):  # "--" may not appear inside an XML comment
        body = "\n".join(line.replace("--", "- -") for line in lines).rstrip("\n")
        return f"<!--{body}\n-->\n\n" + text
    comment = "//" if path.endswith(SLASH_COMMENTS + (".php",)) else "#"
    commented = "".join(f"{comment}{line}\n" if line else "\n" for line in lines)
    if path.endswith(".php") and text.startswith("<?php\n"):
        return "<?php\n" + commented + text[len("<?php\n"):]
    return commented + text


def subnet_address(ctx: Context, region: str) -> str:
    """The Terraform address of the VPC's subnet in a region: `main` in the plan's region."""
    return "google_compute_subnetwork.main" if region == ctx.region else f"google_compute_subnetwork.{ident(region)}"


def nothing_named(ctx, component) -> list[str]:
    """created_names of a kind that creates no named resource of its own (an API it enables, a setting of
    another component's resource, a service outside Google Cloud)."""
    return []


def accessor_name(key: str, secret_terraform_name: str) -> str:
    return f"{ident(key)}_reads_{secret_terraform_name}"


API_ENABLEMENT = Expr("google_project_service.enabled")


def after_apis(item) -> None:
    """Every google resource and data source waits for the project's APIs (one apply, no -target): a new
    project answers 403 SERVICE_DISABLED until they are on."""
    if not isinstance(item, Block) or item.type not in ("resource", "data") or not item.labels[0].startswith("google_"):
        return
    if item.labels[0] == "google_project_service":
        return
    existing = list(item.body.get("depends_on", []))
    if API_ENABLEMENT not in existing:
        item.body.pop("depends_on", None)
        item.body["depends_on"] = [API_ENABLEMENT, *existing]
