"""CL9xx: the suppression comments themselves.  The engine reports these,
because only it knows which findings each comment suppressed."""

from __future__ import annotations

from composelint.rules.base import rule


@rule("CL900", "unused-suppression", "warning", "meta", engine=True)
def unused_suppression(project):
    """A suppression comment that suppressed nothing.

    ## What it does
    Reports `# composelint: ignore=...`, `disable=...` and `disable-file=...`
    directives (or single rules in them) that matched no finding.

    ## Why is this bad?
    Stale suppressions hide the next real problem on that line.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27  # composelint: ignore=CL301
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
    ```
    """
    return ()


@rule("CL901", "unknown-rule-in-suppression", "error", "meta", engine=True)
def unknown_rule_in_suppression(project):
    """A suppression names a rule that does not exist.

    ## What it does
    Reports codes, prefixes or names in a directive that match no rule.

    ## Why is this bad?
    A typo in a suppression silently suppresses nothing.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        privileged: true  # composelint: ignore=CL3O1
    ```

    ## Use instead
    ```yaml
    services:
      web:
        image: nginx:1.27
        privileged: true  # composelint: ignore=CL301 -- needs /dev/kvm
    ```
    """
    return ()


@rule("CL902", "misplaced-directive", "warning", "meta", engine=True)
def misplaced_directive(project):
    """A directive that cannot be parsed or stands where it has no effect.

    ## What it does
    Reports unparsable `# composelint:` comments and `disable-file` after
    the leading comment block.

    ## Why is this bad?
    The directive is not honoured; the author believes it is.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
    # composelint: disable-file=CL202
    ```

    ## Use instead
    ```yaml
    # composelint: disable-file=CL202
    services:
      web:
        image: nginx:1.27
    ```
    """
    return ()
