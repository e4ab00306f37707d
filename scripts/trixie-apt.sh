#!/usr/bin/env bash
# apt-get against Debian 13 (trixie) without touching the machine's own apt state (which stays Debian 12):
# the trixie suite of the mirror the machine's apt configuration names, with its own sources list,
# lists folder and archive cache under $CACHE/trixie/apt. Usage: scripts/trixie-apt.sh update | download PKG...
# (any apt-get command line; run from the folder downloads should land in), or scripts/trixie-apt.sh apt-cache ARGS.
# Nothing here is committed.
set -euo pipefail

CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
state=$CACHE/trixie/apt
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/etc/sources.list.d" "$state/etc/preferences.d"

# The mirror: the first http(s) URI of the machine's Debian sources (deb822 or one-line format).
log() { echo "trixie-apt: $*" >&2; }
. "$(dirname "$0")/debian.sh"
mirror=$(debian_mirror)

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' "$mirror" "$keyring" \
    >"$state/etc/sources.list.d/trixie.sources"

opts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$state/etc/sources.list.d"
    -o "Dir::Etc::PreferencesParts=$state/etc/preferences.d"
    -o "Dir::State::Lists=$state/lists"
    -o "Dir::Cache=$state"
    -o "Dir::Cache::archives=$state/archives"
    -o "Dir::State::status=/dev/null"
    -o "APT::Architecture=amd64"
    -o "Debug::NoLocking=true"
    -o "APT::Sandbox::User=root"
)
if [ "${1:-}" != update ] && [ -z "$(find "$state/lists" -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ]; then
    apt-get "${opts[@]}" -qq update >&2
fi
if [ "${1:-}" = apt-cache ]; then shift; exec apt-cache "${opts[@]}" "$@"; fi
exec apt-get "${opts[@]}" "$@"
