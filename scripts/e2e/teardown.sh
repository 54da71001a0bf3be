#!/usr/bin/env bash
# Undo scripts/e2e/setup.sh's container state, for local use: stop the suite's containers and
# wipe its private container storage (`podman system reset -f` on the suite's storage.conf, so
# images of other podman users on this machine are untouched), then unmount anything left.
#
#   bash scripts/e2e/teardown.sh          storage only; the debootstrap tarball stays cached,
#                                         so the next setup.sh takes ~15 s instead of ~45 s
#   bash scripts/e2e/teardown.sh --all    also the cache dir (next setup.sh is fully cold)
#
# The Debian packages (buildah, podman, ...) stay installed.
set -euo pipefail

CACHE="${MODELSHIP_E2E_CACHE:-${HOME}/.cache/modelship-e2e}"
STORAGE="${MODELSHIP_E2E_STORAGE:-/var/lib/modelship-e2e}"
RUNROOT="/run/modelship-e2e"
ALL=false
case "${1:-}" in
  --all) ALL=true ;;
  "") ;;
  *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac

if [ -f "${CACHE}/env.sh" ] && command -v podman >/dev/null; then
  # shellcheck source=/dev/null
  source "${CACHE}/env.sh"
  # Never reset the machine's default storage by accident.
  if podman info --format '{{.Store.GraphRoot}}' 2>/dev/null | grep -qx "${STORAGE}/storage"; then
    podman rm --all --force --time 2 >/dev/null 2>&1 || true
    buildah rm --all >/dev/null 2>&1 || true
    # (its "a storage.conf file exists" notice is about the suite's own file: expected)
    if ! out="$(podman system reset --force 2>&1)"; then
      echo "$out" >&2
      exit 1
    fi
  else
    echo "teardown: ${CACHE}/env.sh does not point at ${STORAGE}/storage; not resetting" >&2
  fi
fi

# Anything still mounted under the suite's dirs (a killed build, an aborted reset): unmount
# deepest first, never rm -rf through a live overlay mount.
while read -r mnt; do
  umount "$mnt" 2>/dev/null || umount -l "$mnt"
done < <(awk -v s="${STORAGE}/" -v r="${RUNROOT}/" 'index($2, s) == 1 || index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)
rm -rf --one-file-system "$STORAGE" "$RUNROOT"

if $ALL; then
  rm -rf --one-file-system "$CACHE"
  echo "teardown: removed ${STORAGE}, ${RUNROOT} and ${CACHE}"
else
  echo "teardown: removed ${STORAGE} and ${RUNROOT} (cache ${CACHE} kept)"
fi
