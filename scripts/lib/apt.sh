# shellcheck shell=bash
# as_root CMD...: runs CMD as root (through sudo when we are not root).
as_root() {
  if [ "$(id -u)" != 0 ]; then sudo "$@"; else "$@"; fi
}

# apt_install PKG...: installs Debian packages non-interactively (with sudo when not root). The package
# lists are refreshed first when they do not know the first package, and once more on a failed install
# (a stale list can name a version the mirror no longer has).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    as_root apt-get update -qq
  fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
