"""The placeholder source a Cloud Function is first created from, one per runtime family the spec admits
(components/cloud_functions.py, RUNTIME_FAMILIES): a minimal function that answers HTTP with 200 or logs the
event's id, named by the plan's entry point, so the first apply can create the function before Cloud Build has
uploaded the real source. Each family's files are what its buildpack needs to build a function
(github.com/GoogleCloudPlatform/buildpacks, cmd/<language>/functions_framework):

- Python, Node.js, PHP: the one source file; the buildpack installs the Functions Framework when the source does
  not list it.
- Go: a package registering the function (declarative, so any entry point name works) and a go.mod requiring the
  framework; with no go.sum the buildpack runs `go mod tidy`.
- Java: a Maven project with the framework's API (provided) and the class the entry point names.
- .NET: a project referencing Google.Cloud.Functions.Hosting and the class the entry point names.
- Ruby: the framework must be in the Gemfile and a Gemfile.lock is required; the lock pins one resolution
  (functions_framework 1.6.2 and what it needs, with base64, logger and ostruct, which Ruby 3.4 and later no
  longer load without the Gemfile naming them).

The generated-file header is added when the files are rendered (_builder.render)."""
from __future__ import annotations

import json
import re

PLACEHOLDER = "Placeholder until Cloud Build uploads the real source."
# The Go Functions Framework version the Go buildpack itself injects (cmd/go/functions_framework/lib/lib.go).
GO_FRAMEWORK = "v1.9.2"
JAVA_FRAMEWORK_API = "1.1.0"
JAVA_CLOUDEVENTS_API = "2.5.0"
RUBY_FRAMEWORK = "1.6"


def version_digits(runtime: str) -> str:
    return re.sub(r"^[a-z]+", "", runtime)


def python(entry: str, event: bool, runtime: str) -> dict[str, str]:
    # the spec admits only an identifier as a Python or Node.js entry point (components/cloud_functions.py)
    body = (f"@functions_framework.cloud_event\ndef {entry}(cloud_event):\n    print(cloud_event[\"id\"])\n"
            if event else f"@functions_framework.http\ndef {entry}(request):\n    return \"ok\"\n")
    return {"main.py": f"# {PLACEHOLDER}\nimport functions_framework\n\n\n" + body}


def nodejs(entry: str, event: bool, runtime: str) -> dict[str, str]:
    register = (f"functions.cloudEvent('{entry}', (event) => console.log(event.id));\n" if event else
                f"functions.http('{entry}', (req, res) => res.send('ok'));\n")
    return {"index.js": f"// {PLACEHOLDER}\nconst functions = require('@google-cloud/functions-framework');\n"
                        + register}


def go(entry: str, event: bool, runtime: str) -> dict[str, str]:
    digits = version_digits(runtime)  # go122 -> 1.22
    name = json.dumps(entry)  # the entry point's characters (letters, digits, _ . $) need no escape in Go either
    if event:
        imports = ('\t"context"\n\t"log"\n\n\t"github.com/GoogleCloudPlatform/functions-framework-go/functions"\n'
                   '\tcloudevents "github.com/cloudevents/sdk-go/v2"\n')
        register = (f"\tfunctions.CloudEvent({name}, func(ctx context.Context, event cloudevents.Event) error {{\n"
                    "\t\tlog.Println(event.ID())\n\t\treturn nil\n\t})\n")
    else:
        imports = '\t"net/http"\n\n\t"github.com/GoogleCloudPlatform/functions-framework-go/functions"\n'
        register = (f"\tfunctions.HTTP({name}, func(w http.ResponseWriter, r *http.Request) {{\n"
                    '\t\tw.Write([]byte("ok"))\n\t})\n')
    return {
        "go.mod": (f"module example.com/placeholder\n\ngo {digits[0]}.{digits[1:]}\n\n"
                   f"require github.com/GoogleCloudPlatform/functions-framework-go {GO_FRAMEWORK}\n"),
        "function.go": f"// {PLACEHOLDER}\npackage placeholder\n\nimport (\n{imports})\n\nfunc init() {{\n{register}}}\n",
    }


def _class_parts(entry: str) -> tuple[str, str]:
    """(namespace or package, class) of a dotted class name."""
    namespace, _, name = entry.rpartition(".")
    return namespace, name


def java(entry: str, event: bool, runtime: str) -> dict[str, str]:
    package, name = _class_parts(entry)
    cloudevents = (f"    <dependency>\n      <groupId>io.cloudevents</groupId>\n      <artifactId>cloudevents-api"
                   f"</artifactId>\n      <version>{JAVA_CLOUDEVENTS_API}</version>\n      <scope>provided</scope>\n"
                   "    </dependency>\n") if event else ""
    pom = ('<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n'
           "  <groupId>placeholder</groupId>\n  <artifactId>placeholder</artifactId>\n  <version>1</version>\n"
           f"  <properties>\n    <maven.compiler.release>{version_digits(runtime)}</maven.compiler.release>\n"
           "  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>com.google.cloud.functions</groupId>\n"
           "      <artifactId>functions-framework-api</artifactId>\n"
           f"      <version>{JAVA_FRAMEWORK_API}</version>\n      <scope>provided</scope>\n    </dependency>\n"
           f"{cloudevents}  </dependencies>\n</project>\n")
    if event:
        imports = "import com.google.cloud.functions.CloudEventsFunction;\nimport io.cloudevents.CloudEvent;\n"
        body = (f"public class {name} implements CloudEventsFunction {{\n  @Override\n"
                "  public void accept(CloudEvent event) {\n    System.out.println(event.getId());\n  }\n}\n")
    else:
        imports = ("import com.google.cloud.functions.HttpFunction;\nimport com.google.cloud.functions.HttpRequest;\n"
                   "import com.google.cloud.functions.HttpResponse;\n")
        body = (f"public class {name} implements HttpFunction {{\n  @Override\n"
                "  public void service(HttpRequest request, HttpResponse response) throws Exception {\n"
                "    response.getWriter().write(\"ok\");\n  }\n}\n")
    source = (f"// {PLACEHOLDER}\n" + (f"package {package};\n\n" if package else "") + imports + "\n" + body)
    folder = "/".join(["src", "main", "java", *package.split(".")]) if package else "src/main/java"
    return {"pom.xml": pom, f"{folder}/{name}.java": source}


# .NET runtime -> (target framework, Google.Cloud.Functions.Hosting major version)
DOTNET_TARGETS = {"3": ("netcoreapp3.1", "1"), "6": ("net6.0", "2")}


def dotnet(entry: str, event: bool, runtime: str) -> dict[str, str]:
    namespace, name = _class_parts(entry)
    digits = version_digits(runtime)
    target, hosting = DOTNET_TARGETS.get(digits, (f"net{digits}.0", "2"))
    project = ('<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n'
               f"    <TargetFramework>{target}</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n"
               f'    <PackageReference Include="Google.Cloud.Functions.Hosting" Version="{hosting}.*" />\n'
               "  </ItemGroup>\n</Project>\n")
    if event:
        usings = "using CloudNative.CloudEvents;\nusing Google.Cloud.Functions.Framework;\nusing System;\n" \
                 "using System.Threading;\nusing System.Threading.Tasks;\n"
        body = (f"public class {name} : ICloudEventFunction\n{{\n"
                "    public Task HandleAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)\n    {\n"
                "        Console.WriteLine(cloudEvent.Id);\n        return Task.CompletedTask;\n    }\n}\n")
    else:
        usings = ("using Google.Cloud.Functions.Framework;\nusing Microsoft.AspNetCore.Http;\n"
                  "using System.Threading.Tasks;\n")
        body = (f"public class {name} : IHttpFunction\n{{\n"
                "    public Task HandleAsync(HttpContext context) => context.Response.WriteAsync(\"ok\");\n}\n")
    source = f"// {PLACEHOLDER}\n{usings}\n" + (f"namespace {namespace};\n\n" if namespace else "") + body
    if namespace and digits == "3":  # C# 8 (.NET Core 3.1) has no file-scoped namespace
        source = f"// {PLACEHOLDER}\n{usings}\nnamespace {namespace}\n{{\n" + body + "}\n"
    return {"Placeholder.csproj": project, "Function.cs": source}


RUBY_LOCK = """GEM
  remote: https://rubygems.org/
  specs:
    base64 (0.3.0)
    cloud_events (0.8.3)
    functions_framework (1.6.2)
      cloud_events (>= 0.7.0, < 2.a)
      puma (>= 4.3.0, < 7.a)
      rack (>= 2.1, < 4.a)
    logger (1.7.0)
    nio4r (2.7.5)
    ostruct (0.6.3)
    puma (6.6.1)
      nio4r (~> 2.0)
    rack (3.2.4)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  base64
  functions_framework (~> 1.6)
  logger
  ostruct
"""


def ruby(entry: str, event: bool, runtime: str) -> dict[str, str]:
    register = (f"FunctionsFramework.cloud_event '{entry}' do |event|\n  puts event.id\nend\n" if event else
                f"FunctionsFramework.http '{entry}' do |_request|\n  'ok'\nend\n")
    return {
        "Gemfile": (f'source "https://rubygems.org"\n\ngem "base64"\ngem "functions_framework", "~> {RUBY_FRAMEWORK}"\n'
                    'gem "logger"\ngem "ostruct"\n'),
        "Gemfile.lock": RUBY_LOCK,
        "app.rb": f"# {PLACEHOLDER}\nrequire \"functions_framework\"\n\n" + register,
    }


def php(entry: str, event: bool, runtime: str) -> dict[str, str]:
    if event:
        code = ("use CloudEvents\\V1\\CloudEventInterface;\nuse Google\\CloudFunctions\\FunctionsFramework;\n\n"
                f"FunctionsFramework::cloudEvent('{entry}', function (CloudEventInterface $event): void {{\n"
                "    error_log($event->getId());\n});\n")
    else:
        code = ("use Google\\CloudFunctions\\FunctionsFramework;\nuse Psr\\Http\\Message\\ServerRequestInterface;\n\n"
                f"FunctionsFramework::http('{entry}', function (ServerRequestInterface $request) {{\n"
                "    return 'ok';\n});\n")
    return {"index.php": f"<?php\n// {PLACEHOLDER}\n" + code}


FAMILIES = {"python": python, "nodejs": nodejs, "go": go, "java": java, "dotnet": dotnet, "ruby": ruby, "php": php}


def placeholder_files(runtime: str, entry: str, event: bool) -> dict[str, str]:
    """The placeholder's files (path under its folder -> text) for a runtime the spec admits."""
    family = re.match(r"[a-z]+", runtime).group(0)
    return FAMILIES[family](entry, event, runtime)
