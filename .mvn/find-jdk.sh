# shellcheck shell=sh
# ----------------------------------------------------------------------------
# find-jdk.sh - locate a JDK >= 25 for asyncio4j.
#
# SOURCE this file (". path/to/.mvn/find-jdk.sh"); do not execute it. It is
# sourced by ./mvnw before the wrapper does anything else, and is meant to be
# reused by other launchers (e.g. a future bin/asyncio4j). It is POSIX sh and
# works under "set -euf" (the options mvnw uses); shell options are restored.
#
# Resolution order:
#   1. $JAVA_HOME, if it is a JDK whose major version is >= 25;
#   2. `java` on $PATH, if it is a JDK >= 25;
#   3. the highest-versioned JDK >= 25 among the candidate directories
#      (see ASYNCIO4J_JDK_SEARCH_PATH below).
# A directory counts as a JDK when it has executable bin/java and bin/javac.
# Its version comes from the `release` file's JAVA_VERSION when present,
# otherwise from `bin/java -version`.
#
# On success (silently): exports JAVA_HOME and prepends $JAVA_HOME/bin to PATH.
# On failure: prints ONE line to stderr and EXITS the sourcing shell with 1:
#   asyncio4j needs a JDK >= 25; found <version at dir | none>; set JAVA_HOME to a JDK 25 or newer
#
# Variables read:
#   ASYNCIO4J_PROJECT_DIR      project root. Optional: if unset it is derived
#                              from this file's location (bash/zsh) or else
#                              from the sourcing script's directory ($0). It
#                              is left set for the caller's use; nothing here
#                              depends on the current working directory.
#   ASYNCIO4J_JDK_SEARCH_PATH  colon-separated list of candidate JDK homes;
#                              shell glob patterns are allowed. Overrides the
#                              default list below when set (an empty value
#                              disables the directory search, which is handy
#                              for testing the "no JDK found" path).
#   MVNW_VERBOSE=true          also print the chosen JDK to stderr.
# ----------------------------------------------------------------------------

# All helper names are prefixed with __aj_ and removed at the end, because
# this file runs inside the caller's shell.

__aj_min=25

# Default candidate JDK homes (used when ASYNCIO4J_JDK_SEARCH_PATH is unset).
__aj_default_search="/usr/lib/jvm/*:/usr/java/*:/opt/java/*:/opt/jdk*"
__aj_default_search="$__aj_default_search:${HOME-}/.sdkman/candidates/java/*:${HOME-}/.jdks/*"
__aj_default_search="$__aj_default_search:/Library/Java/JavaVirtualMachines/*/Contents/Home"

if [ -z "${ASYNCIO4J_PROJECT_DIR-}" ]; then
  if [ -n "${BASH_SOURCE-}" ]; then
    # bash: this file's own location is known; the project is its parent.
    ASYNCIO4J_PROJECT_DIR=$(CDPATH='' cd -- "$(dirname -- "$BASH_SOURCE")/.." && pwd -P) || ASYNCIO4J_PROJECT_DIR=
  elif [ -n "${ZSH_VERSION-}" ]; then
    # zsh: ${(%):-%x} is the file being sourced (hidden from other shells).
    eval '__aj_self=${(%):-%x}'
    ASYNCIO4J_PROJECT_DIR=$(CDPATH='' cd -- "$(dirname -- "$__aj_self")/.." && pwd -P) || ASYNCIO4J_PROJECT_DIR=
  else
    # Plain POSIX sh cannot see a sourced file's path: assume the sourcing
    # script (e.g. ./mvnw) lives in the project root.
    ASYNCIO4J_PROJECT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P) || ASYNCIO4J_PROJECT_DIR=
  fi
fi

# __aj_version HOME -> prints the full version string of the JDK in HOME
# (e.g. "25.0.3"), or nothing if HOME is not a JDK.
__aj_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$1/release" 2>/dev/null | head -n 1
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1
  fi
}

# __aj_part VERSION N -> prints numeric component N (1-based) of VERSION,
# after mapping legacy "1.8.0_292" to "8.0.0.292"; missing parts print 0.
__aj_part() {
  __aj_v=$1
  case "$__aj_v" in 1.*) __aj_v=${__aj_v#1.} ;; esac
  printf '%s\n' "$__aj_v" | tr '._+-' '    ' | awk -v n="$2" '{ v = $n + 0; print v }'
}

# __aj_newer A B -> true if version A is strictly newer than version B
# (compares the first four numeric components).
__aj_newer() {
  [ -n "$1" ] || return 1
  [ -n "$2" ] || return 0
  for __aj_i in 1 2 3 4; do
    __aj_a=$(__aj_part "$1" "$__aj_i")
    __aj_b=$(__aj_part "$2" "$__aj_i")
    [ "$__aj_a" -gt "$__aj_b" ] && return 0
    [ "$__aj_a" -lt "$__aj_b" ] && return 1
  done
  return 1
}

# __aj_consider HOME -> records HOME as the best JDK >= 25 (__aj_ok_*) or,
# for the error message, as the best JDK below 25 (__aj_old_*).
__aj_consider() {
  __aj_ver=$(__aj_version "$1") || __aj_ver=
  [ -n "$__aj_ver" ] || return 0
  if [ "$(__aj_part "$__aj_ver" 1)" -ge "$__aj_min" ]; then
    if __aj_newer "$__aj_ver" "$__aj_ok_ver"; then
      __aj_ok_ver=$__aj_ver __aj_ok_home=$1
    fi
  elif __aj_newer "$__aj_ver" "$__aj_old_ver"; then
    __aj_old_ver=$__aj_ver __aj_old_home=$1
  fi
}

__aj_ok_ver='' __aj_ok_home='' __aj_old_ver='' __aj_old_home=''

# 1. JAVA_HOME.
if [ -n "${JAVA_HOME-}" ]; then
  __aj_consider "${JAVA_HOME%/}"
fi

# 2. `java` on PATH (symlinks such as /usr/bin/java are resolved when
#    readlink -f is available; the JDK home is two levels above the binary).
if [ -z "$__aj_ok_home" ]; then
  __aj_java=$(command -v java 2>/dev/null) || __aj_java=
  if [ -n "$__aj_java" ]; then
    __aj_v=$(readlink -f -- "$__aj_java" 2>/dev/null) || __aj_v=
    [ -z "$__aj_v" ] || __aj_java=$__aj_v
    __aj_consider "$(dirname -- "$(dirname -- "$__aj_java")")"
  fi
fi

# 3. Candidate directories: the highest version >= 25 wins.
if [ -z "$__aj_ok_home" ]; then
  case $- in *f*) __aj_noglob=1 ;; *) __aj_noglob=0 ;; esac
  __aj_ifs=$IFS
  set +f
  IFS=:
  # Unquoted on purpose: split on ':' and expand each glob pattern.
  # shellcheck disable=SC2086
  for __aj_dir in ${ASYNCIO4J_JDK_SEARCH_PATH-$__aj_default_search}; do
    IFS=$__aj_ifs
    [ -d "$__aj_dir" ] && __aj_consider "${__aj_dir%/}"
    IFS=:
  done
  IFS=$__aj_ifs
  [ "$__aj_noglob" = 0 ] || set -f
fi

if [ -n "$__aj_ok_home" ]; then
  JAVA_HOME=$__aj_ok_home
  PATH="$JAVA_HOME/bin:$PATH"
  export JAVA_HOME PATH
  if [ "${MVNW_VERBOSE-}" = true ]; then
    printf 'find-jdk: using JDK %s at %s\n' "$__aj_ok_ver" "$JAVA_HOME" >&2
  fi
else
  if [ -n "$__aj_old_home" ]; then
    __aj_found="$__aj_old_ver at $__aj_old_home"
  else
    __aj_found=none
  fi
  printf 'asyncio4j needs a JDK >= %s; found %s; set JAVA_HOME to a JDK %s or newer\n' \
    "$__aj_min" "$__aj_found" "$__aj_min" >&2
  exit 1
fi

unset __aj_min __aj_default_search __aj_self __aj_v __aj_i __aj_a __aj_b \
  __aj_ver __aj_ok_ver __aj_ok_home __aj_old_ver __aj_old_home __aj_java \
  __aj_noglob __aj_ifs __aj_dir __aj_found
unset -f __aj_version __aj_part __aj_newer __aj_consider
