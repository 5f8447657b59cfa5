"""CL7xx: credentials written into the configuration.  No message shows a credential."""

from __future__ import annotations

import re

from composelint.model import Project, Variable, Workload
from composelint.patterns import lazy_pattern
from composelint.rules.base import Finding, rule
from composelint.rules.wording import from_command_line, subject, workload_phrase
from composelint.topology import known_ports

# A key that names a secret: a whole `_`-separated part (DB_PASS, API_KEY, GITHUB_TOKEN).
_SECRET_KEY = lazy_pattern(
    r"(^|_)(PASSWORD|PASSWD|PASS|SECRET|SECRETS|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|"
    r"AUTH_KEY|CLIENT_SECRET|CREDENTIALS?)($|_)"
)
# A key that names a password (a server's login), not a token or key for another system.
_PASSWORD_KEY = lazy_pattern(r"(^|_)(PASSWORD|PASSWD|PASS)($|_)")
# ... unless a later part says the value is about the secret, not the secret itself.
_ABOUT_SECRET = lazy_pattern(
    r"_(FILE|PATH|DIR|LENGTH|LEN|MIN|MAX|TTL|EXPIRY|EXPIRES|EXPIRE|EXPIRATION|LIFETIME|TIMEOUT|"
    r"ENABLED|ENABLE|DISABLED|REQUIRED|POLICY|HEADER|NAME|TYPE|ALGORITHM|METHOD|URL|URI|HOST|PORT|"
    r"USER|USERNAME|ID|MODE|PROVIDER|ISSUER|AUDIENCE|ROTATION|RESET|HINT|PROMPT)(_|$)"
)
_PLACEHOLDER = lazy_pattern(
    r"^(|change[-_.]?(me|this|it).*|replace[-_.]?(me|this).*|todo|tbd|none|null|nil|"
    r"true|false|yes|no|on|off|token|x+|\*+|\.+|-+|<.*>|\{.*\}|%.*%|"
    r"your[-_ ].*|example.*|dummy.*|fake.*|test|testing|placeholder.*|"
    r".*random[-_ ].*|generate[-_ ].*|user[-_]provided|set[-_ ]me.*|fill[-_ ]me.*)$",
    re.IGNORECASE,
)
# Words a document's example uses for a value its reader picks (`-e MYSQL_ROOT_PASSWORD=my-secret-pw`);
# in a file that is deployed as written (a template's `DB_PASS: password`) they are the password, a
# weak one that works.  (`token` stays a placeholder everywhere: a token is issued by another
# system, so `TOKEN=token` works nowhere.)
_DOCUMENT_PLACEHOLDER = lazy_pattern(r"^(secret|password|my[-_ ].*)$", re.IGNORECASE)
# ... except for an account on a mail server outside the project, which the user has to fill in.
_MAIL_ACCOUNT_KEY = lazy_pattern(r"(^|_)(SMTP|IMAP|POP3?|MAIL|EMAIL|RELAY)(_|$)")
# scheme://user:password@host; the password part may not be empty or a reference.
_URL_PASSWORD = lazy_pattern(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^\s/:@]*):([^\s/@]+)@")


def _is_secret_key(name: str) -> bool:
    key = name.upper().replace("-", "_").replace(".", "_")
    match = _SECRET_KEY.search(key)
    return match is not None and not _ABOUT_SECRET.search(key[match.end(2) :])


def _example_words(in_document: bool, variable: Variable) -> bool:
    """`password`, `secret` and `my-...` are placeholders for this variable: in a document's
    example, or for a mail account outside the project."""
    return in_document or _MAIL_ACCOUNT_KEY.search(variable.name.upper()) is not None


def _placeholder(text: str, example_words: bool) -> bool:
    return bool(_PLACEHOLDER.match(text) or (example_words and _DOCUMENT_PLACEHOLDER.match(text)))


def _literal_credential(value: str | None, example_words: bool) -> bool:
    """A value written as a credential: not empty, not a placeholder (with `example_words`, also
    not `password`, `secret`, `my-...`), not a plain number (a port or a length), and not itself
    a URL (CL702 judges those)."""
    if value is None:
        return False
    text = value.strip().strip("'\"")
    return not (
        _placeholder(text, example_words)
        or text.isdigit()
        or "://" in text
        or text.startswith("/run/secrets/")
    )


def _url_password(value: str, example_words: bool) -> re.Match[str] | None:
    if "@" not in value:  # no `user:password@` URL: the pattern needs one
        return None
    match = _URL_PASSWORD.search(value)
    if match is None or "$" in match.group(2) or _placeholder(match.group(2), example_words):
        return None
    return match


def _setting(workload: Workload, variable: Variable, labels: bool = False) -> str:
    if from_command_line(workload):
        return f"`{'--label' if labels else '-e'} {variable.name}=...`"
    return f"`{variable.name}` in `{'labels' if labels else 'environment'}`"


def _throwaway_server_credential(project: Project, workload: Workload, variable: Variable) -> bool:
    """The key is a password of a server a CI job starts for itself whatever its image
    (`MYSQL_ROOT_PASSWORD` of `mariadb`, `PASS` of a Samba image): a job's service container on a
    host made for the job or publishing no port (GitLab's services never do), or a container a
    job's commands start in the background on a host made for the job (`docker run -d` in a
    hosted runner's step or in a script only such jobs run).  It is removed with the job and only
    the job reaches it.  Its tokens and keys for other systems are not, nor the password of a
    container the job waits for (a client, `docker run --rm -e DEPLOY_PASSWORD=...`) or of the
    job's own container (GitHub's `container:`), whose steps reach other machines with it.  Or, on a host
    made for the job, the key sets up the server of a well-known server image
    (`KNOWN_IMAGE_PORTS`): it starts with the image's name (`POSTGRES_PASSWORD` of `postgres`,
    `MINIO_ROOT_PASSWORD` of `minio/minio`).  A client image's keys (`AWS_SECRET_ACCESS_KEY` of
    `amazon/aws-cli`) are not."""
    ephemeral = project.on_ephemeral_host(workload)
    service = workload.job_service and (ephemeral or not workload.ports)
    background = (
        ephemeral
        and not workload.job_container
        and workload.runs is not None
        and workload.runs.in_background()
    )
    if (service or background) and _PASSWORD_KEY.search(variable.name.upper().replace("-", "_")):
        return True
    if not ephemeral or not known_ports(workload) or workload.image is None:
        return False
    return variable.name.upper().startswith(f"{workload.image.value.basename.upper()}_")


@rule("CL701", "credential-in-environment", "warning", "secrets", reads=("environment", "image"))
def credential_in_environment(project: Project):
    """A credential is written literally into a workload's environment.

    ## What it does
    Reports an `environment` entry (`-e`/`--env` on a command line) whose
    key names a secret (`*PASSWORD*`, `*PASS`, `*SECRET*`, `*TOKEN*`,
    `*API_KEY*`, `*PRIVATE_KEY*`, `*ACCESS_KEY*`, `*CREDENTIALS*`, ...) and
    whose value is written in the file: not empty, not a placeholder
    (`changeme`, `<...>`, `xxx`, `your-...`), not a `${VAR}` reference, not
    a number.  `password`, `secret` and `my-...` are placeholders
    only in a Markdown document's example, where the reader picks the value
    (`-e MYSQL_ROOT_PASSWORD=my-secret-pw`); in a compose file, script or
    unit that is deployed as written they are the password, and a weak one
    (except for a mail account, `SMTP_PASS=password`, which the user fills
    in).  Keys about a secret rather than holding one (`*_FILE`,
    `*_PATH`, `*_LENGTH`, `*_TTL`, `*_USER`, ...) are left alone.  So is
    the password the server of a well-known image is set up with (a key
    starting with the image's name: `POSTGRES_PASSWORD` of `postgres`,
    `MINIO_ROOT_PASSWORD` of `minio/minio`) on a host made for one CI job (a
    GitHub-hosted runner, a GitLab Docker-in-Docker service), and any
    password of a job's service container (GitHub Actions `services:`, `env`
    or `options: -e`; GitLab `services:`, with the `variables:` GitLab passes
    them: `MYSQL_ROOT_PASSWORD` of `mariadb`) there or publishing no port (a
    GitLab service never does), and any password of a container a job
    starts in the background on such a host (`docker run -d -e PASS=...` in
    a step or in a script only hosted jobs run): that server lives for the
    job and nothing else reaches it.  A key for anything else
    (`AWS_SECRET_ACCESS_KEY`, a token), and the password of a container the
    job waits for (a client), are reported there too.
    The message names the key, never the value.

    ## Why is this bad?
    The credential is in version control, in every copy of the file, and in
    `docker inspect` output for anyone who can reach the Docker API.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        environment:
          POSTGRES_PASSWORD: s3cr3t-Passw0rd
    ```

    ## Use instead
    Compose `secrets:` with the image's `_FILE` variant (or `${VAR}` from an
    untracked `.env`):
    ```yaml
    services:
      db:
        image: postgres:17
        environment:
          POSTGRES_PASSWORD_FILE: /run/secrets/db_password
        secrets: [db_password]
    secrets:
      db_password:
        file: ./db_password.txt
    ```
    """
    for workload in project.workloads:
        in_document = project.shown_in_document(workload)
        for variable in workload.environment:
            if not (
                variable.literal
                and _is_secret_key(variable.name)
                and _literal_credential(variable.value, _example_words(in_document, variable))
            ):
                continue
            if not _throwaway_server_credential(project, workload, variable):
                yield Finding(
                    f"{subject(workload)} has a literal credential in {_setting(workload, variable)}: "
                    "it is stored in the file and shown by `docker inspect`",
                    variable.span,
                    workload.name,
                    f"environment[{variable.name}]",
                    help=f"Pass it as a secret: Compose `secrets:` and `{variable.name}_FILE=/run/secrets/...` "
                    f"where the image supports it, or `{variable.name}=${{{variable.name}}}` from an untracked "
                    "`.env`",
                )


@rule("CL702", "credential-in-url", "warning", "secrets", reads=("environment", "labels", "command"))
def credential_in_url(project: Project):
    """A URL with an inline password is written into the configuration.

    ## What it does
    Reports `scheme://user:password@host` in an environment value, a label
    or the command, when the password is written in the file (not a `${VAR}`
    reference or a placeholder; `password`, `secret` and `my-...` are
    placeholders only in a Markdown document's example or in a mail
    account's setting, as for CL701).  The message shows the URL's scheme and
    user with the password masked.  Not in the command of a container a
    Markdown document shows (`docker run -it --rm debezium/tooling pgcli
    postgresql://user:pass@db`): a tutorial's reader types it to connect a
    client to the example's own database, whose password the example sets
    (and where it is written, it is reported).

    ## Why is this bad?
    The password is in version control and in `docker inspect` output, and
    URLs end up in logs and error messages.

    ## Example
    ```yaml
    services:
      app:
        image: ghcr.io/example/app:2.4
        environment:
          DATABASE_URL: postgres://app:hunter2-and-more@db:5432/app
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: ghcr.io/example/app:2.4
        environment:
          DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app
    ```
    """
    for workload in project.workloads:
        in_document = project.shown_in_document(workload)
        for labels, variables in ((False, workload.environment), (True, workload.labels)):
            for variable in variables:
                value = variable.value or ""
                if not variable.literal or "@" not in value:  # no `user:password@` URL
                    continue
                match = _url_password(value, _example_words(in_document, variable))
                if match:
                    yield Finding(
                        f"{subject(workload)} has a password inside the URL `{match.group(1)}:****@...` "
                        f"in {_setting(workload, variable, labels)}",
                        variable.span,
                        workload.name,
                        f"{'labels' if labels else 'environment'}[{variable.name}]",
                        help="Take the password from a variable (`${DB_PASSWORD}`) or a secret file",
                    )
        for word in () if in_document else workload.command:
            match = _url_password(word.value, example_words=False)
            if match:
                yield Finding(
                    f"The command of {workload_phrase(workload)} has a password inside the URL `{match.group(1)}:****@...`",
                    word.span,
                    workload.name,
                    "command",
                    help="Take the password from a variable or a secret file",
                )
