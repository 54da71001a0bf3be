#!/usr/bin/env bash
# Prepare this machine for the e2e suite (`npm run test:e2e`): buildah, podman, skopeo and runc
# from Debian, a private container storage and containers.conf, and two local base images built
# without any container registry:
#
#   localhost/modelship-e2e/debian-base:bookworm   debootstrap --variant=minbase, podman import
#   localhost/modelship-e2e/python-base:bookworm   the above + Debian's python3
#
# Needs root, Debian 12 and Debian's package mirror; no Docker daemon, no registry. Idempotent:
# every step is skipped when its result is already there, so a warm run takes a second or two.
#
# Environment:
#   MODELSHIP_E2E_CACHE    cache dir (default ~/.cache/modelship-e2e): config files, env.sh and
#                          the debootstrap tarball. Safe to rm -rf (no mounts in it).
#   MODELSHIP_E2E_STORAGE  container storage root (default /var/lib/modelship-e2e). Private to
#                          the suite, so scripts/e2e/teardown.sh never touches other images.
#   MODELSHIP_E2E_MIRROR   Debian mirror (default http://deb.debian.org/debian).
#
# Afterwards, `source "$MODELSHIP_E2E_CACHE/env.sh"` points podman/buildah/skopeo at the
# suite's storage and config (the TypeScript helpers do the same for their child processes).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${MODELSHIP_E2E_CACHE:-${HOME}/.cache/modelship-e2e}"
STORAGE="${MODELSHIP_E2E_STORAGE:-/var/lib/modelship-e2e}"
RUNROOT="/run/modelship-e2e"
MIRROR="${MODELSHIP_E2E_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
DEBIAN_BASE="localhost/modelship-e2e/debian-base:${SUITE}"
PYTHON_BASE="localhost/modelship-e2e/python-base:${SUITE}"
ROOTFS_TAR="${CACHE}/debian-${SUITE}-minbase.tar"
PACKAGES=(buildah podman skopeo runc debootstrap)

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }
START="$(now)"
TIMINGS=()
# phase NAME FUNCTION: run one phase and record its duration.
phase() {
  local name="$1" t0; shift
  t0="$(now)"
  echo "==> [e2e setup] ${name}"
  "$@"
  local took; took="$(elapsed "$t0" "$(now)")"
  echo "==> [e2e setup] ${name}: ${took}s"
  TIMINGS+=("$(printf '  %-16s %6ss' "$name" "$took")")
}

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/e2e/setup.sh: must run as root (debootstrap, rootful podman/buildah)" >&2
  exit 1
fi

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "    already installed: ${PACKAGES[*]}"
    return
  fi
  echo "    installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends: as root on a local ext4/xfs disk with --network host nothing more
  # is needed (fuse-overlayfs, slirp4netns and catatonit are for rootless or --init use;
  # uidmap, conmon and containernetworking-plugins come in as dependencies).
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

write_config() {
  mkdir -p "$CACHE" "$STORAGE" "$RUNROOT"
  # crun 1.8 rejects this machine's hybrid cgroups: runc. Root lacks CAP_SYS_RESOURCE, so the
  # default ulimits (nofile 1048576) cannot be set: stay at or under the hard limits here.
  # A private tmp_dir keeps this libpod database apart from any other podman on the machine.
  write_atomically "${CACHE}/containers.conf" <<EOF
# Written by scripts/e2e/setup.sh; selected with CONTAINERS_CONF.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "${RUNROOT}/events.log"
tmp_dir = "${RUNROOT}/libpod"
volume_path = "${STORAGE}/volumes"
EOF
  write_atomically "${CACHE}/storage.conf" <<EOF
# Written by scripts/e2e/setup.sh; selected with CONTAINERS_STORAGE_CONF.
[storage]
driver = "overlay"
graphroot = "${STORAGE}/storage"
runroot = "${RUNROOT}/storage"
EOF
  write_atomically "${CACHE}/env.sh" <<EOF
# Written by scripts/e2e/setup.sh: source it to use the e2e suite's container storage.
export CONTAINERS_CONF="${CACHE}/containers.conf"
export CONTAINERS_STORAGE_CONF="${CACHE}/storage.conf"
EOF
  echo "    ${CACHE}/containers.conf, storage.conf, env.sh (storage in ${STORAGE})"
}

# write_atomically FILE: stdin to FILE, replaced only if the content changed.
write_atomically() {
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; fi
}

ROOTFS_DIR=""
cleanup_rootfs() {
  [ -n "$ROOTFS_DIR" ] && [ -d "$ROOTFS_DIR" ] || return 0
  # debootstrap mounts proc/sys in the target; never rm -rf through a mount.
  local m
  while read -r m; do
    umount -l "$m" || true
  done < <(awk -v d="$ROOTFS_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$ROOTFS_DIR"
}
trap cleanup_rootfs EXIT

make_rootfs() {
  if [ -s "$ROOTFS_TAR" ]; then
    echo "    cached: ${ROOTFS_TAR} ($(du -h "$ROOTFS_TAR" | cut -f1))"
    return
  fi
  # Leftovers of an interrupted run (possibly with proc/sys still mounted).
  local stale
  for stale in "${CACHE}"/rootfs.*; do
    [ -d "$stale" ] && ROOTFS_DIR="$stale" cleanup_rootfs
  done
  rm -f "${ROOTFS_TAR}.tmp"
  ROOTFS_DIR="$(mktemp -d "${CACHE}/rootfs.XXXXXX")"
  echo "    debootstrap --variant=minbase ${SUITE} (${MIRROR}); takes a few minutes"
  if ! debootstrap --variant=minbase "$SUITE" "$ROOTFS_DIR" "$MIRROR" >"${CACHE}/debootstrap.log" 2>&1; then
    tail -n 30 "${CACHE}/debootstrap.log" >&2
    echo "debootstrap failed; full log in ${CACHE}/debootstrap.log" >&2
    exit 1
  fi
  # What official Debian images leave out: downloaded .debs and package lists.
  rm -rf "${ROOTFS_DIR}"/var/cache/apt/archives/*.deb "${ROOTFS_DIR}"/var/lib/apt/lists/* \
    "${ROOTFS_DIR}"/var/log/*.log "${ROOTFS_DIR}"/debootstrap
  tar --numeric-owner --xattrs -C "$ROOTFS_DIR" -cf "${ROOTFS_TAR}.tmp" .
  mv -f "${ROOTFS_TAR}.tmp" "$ROOTFS_TAR"
  cleanup_rootfs
  ROOTFS_DIR=""
  echo "    wrote ${ROOTFS_TAR} ($(du -h "$ROOTFS_TAR" | cut -f1))"
}

import_debian_base() {
  if podman image exists "$DEBIAN_BASE"; then
    echo "    present: ${DEBIAN_BASE}"
    return
  fi
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$ROOTFS_TAR" "$DEBIAN_BASE" >/dev/null
  echo "    imported ${DEBIAN_BASE}"
}

build_python_base() {
  # Rebuilt when the Containerfile changes (its hash is a label on the image).
  local want have
  want="$(sha256sum "${HERE}/python-base.Containerfile" | cut -c1-16)"
  have="$(podman image inspect --format '{{ index .Labels "modelship.e2e.input" }}' "$PYTHON_BASE" 2>/dev/null || true)"
  if [ "$have" = "$want" ]; then
    echo "    present: ${PYTHON_BASE}"
    return
  fi
  buildah bud --quiet --isolation chroot --pull=never --layers \
    --label "modelship.e2e.input=${want}" \
    -f "${HERE}/python-base.Containerfile" -t "$PYTHON_BASE" "$HERE" >/dev/null
  echo "    built ${PYTHON_BASE} ($(podman run --rm --pull=never --network host "$PYTHON_BASE" python3 --version))"
}

phase packages install_packages
phase config write_config
# shellcheck source=/dev/null
source "${CACHE}/env.sh"
phase debian-rootfs make_rootfs
phase debian-base import_debian_base
phase python-base build_python_base

echo "==> [e2e setup] done in $(elapsed "$START" "$(now)")s"
printf '%s\n' "${TIMINGS[@]}"
echo "    use: source ${CACHE}/env.sh; podman images"
