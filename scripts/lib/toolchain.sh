# Shared by ./drover and ./run-tests: find JDK 25, make sure Maven is there, build when sources changed.

# Prints the home of a JDK 25: $JAVA_HOME when it is one, else one installed under /usr/lib/jvm beside the
# system's default JDK. Explains what to install when there is none.
drover_find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -n1 | grep -Eq 'version "25([."]|$)'; then
      echo "$candidate"
      return 0
    fi
  done
  {
    echo "error: Drover needs a JDK 25 and found none."
    echo "  Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*25*."
    echo "  Install one (e.g. Eclipse Temurin 25: the temurin-25-jdk package), or set JAVA_HOME to a JDK 25."
  } >&2
  return 1
}

# Installs Debian packages that are missing (as root), or says which to install.
drover_require_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: Drover needs these packages: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "Installing ${missing[*]} ..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

# Builds the launcher's jars when they are missing or older than any source or pom.
drover_build_if_stale() {
  local root="$1" stamp="$1/cli/target/drover-cli.jar"
  if [ -f "$stamp" ] && [ -z "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || drover_require_packages maven || return 1
  # The cni module compiles the thin CNI executable with gcc, linked statically against glibc (libc6-dev).
  drover_require_packages gcc libc6-dev || return 1
  echo "Building Drover (this happens on first use and after a change; about a minute) ..." >&2
  local log; log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -DskipTests package -pl cli -am >"$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log"
    echo "error: the build failed (output above)." >&2
    return 1
  fi
  rm -f "$log"
  touch "$stamp"
}

# The verbs that build labs or program the kernel need iproute2 (ip netns), nftables (nft) and util-linux
# (nsenter, setsid). Installs them (as root) when the verb among the arguments is one of those (or the server
# with its in-process agent); other verbs need nothing beyond Java.
drover_require_verb_packages() {
  local verb="" arg skip=0
  case " $* " in
    *" --with-agent "*) drover_require_packages iproute2 nftables conntrack util-linux; return ;;
  esac
  for arg in "$@"; do
    if [ "$skip" -eq 1 ]; then skip=0; continue; fi
    case "$arg" in
      --server) skip=1 ;;
      -*) ;;
      *) verb="$arg"; break ;;
    esac
  done
  case "$verb" in
    demo|lab|agent|probe) drover_require_packages iproute2 nftables conntrack util-linux ;;
    *) return 0 ;;
  esac
}
