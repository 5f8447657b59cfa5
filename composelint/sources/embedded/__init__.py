"""Shell snippets inside other files (Markdown, GitHub Actions, GitLab CI, Makefiles, bats),
read by the shell front end with positions mapped back to the host file."""
