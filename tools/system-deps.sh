#!/usr/bin/env bash
# Install the Debian packages archplan's tests need, when they are missing. Run by `make test` (as root in CI).
set -euo pipefail
needed=()
command -v dot >/dev/null 2>&1 || needed+=(graphviz)
[ -x /usr/bin/chromium ] || needed+=(chromium)
fc-list 2>/dev/null | grep -qi "dejavu" || needed+=(fonts-dejavu-core)
command -v zsh >/dev/null 2>&1 || needed+=(zsh)    # the completion scripts are loaded by each shell
command -v fish >/dev/null 2>&1 || needed+=(fish)
if [ ${#needed[@]} -gt 0 ]; then
  echo "installing: ${needed[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
