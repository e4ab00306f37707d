# Sourced (not run) by the scripts that install Debian packages on this machine or fetch from its mirror;
# the caller defines log().

# need PKG...: installs those of the packages that are missing (apt-get update first when apt has no lists).
need() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
}

# debian_mirror: prints the mirror of the machine's apt configuration, the first http(s) URI that is not the
# security archive (deb822 .sources files first, then the one-line sources.list); fails when there is none.
debian_mirror() {
    local mirror
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}')
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null | head -1)
    [ -n "$mirror" ] || { log "no Debian mirror in /etc/apt"; return 1; }
    echo "$mirror"
}
