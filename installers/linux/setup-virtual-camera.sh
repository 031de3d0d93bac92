#!/usr/bin/env bash
# Creates the "Studio Camera" virtual webcam (a v4l2loopback device) so that browsers, Zoom,
# Meet and OBS can show Studio's live output, and keeps it across reboots.
#
#   sudo bash installers/linux/setup-virtual-camera.sh [VIDEO_NR]
#
# VIDEO_NR is the /dev/videoN number wanted (default 10, or the next free one). Running it
# again changes nothing that is already in place.
set -euo pipefail

LABEL="Studio Camera"
MODULE="v4l2loopback"
WANTED_NR="${1:-10}"
LOAD_CONF="/etc/modules-load.d/studio-virtual-camera.conf"
OPTIONS_CONF="/etc/modprobe.d/studio-virtual-camera.conf"

say() { printf 'setup-virtual-camera: %s\n' "$*"; }
fail() {
    printf 'setup-virtual-camera: %s\n' "$*" >&2
    exit 1
}

if [[ "$(uname -s)" != "Linux" ]]; then
    fail "this script is for Linux; on Windows and macOS install OBS Studio and start its Virtual Camera once."
fi
if [[ "${EUID:-$(id -u)}" -ne 0 ]]; then
    fail "loading a kernel module needs root: run 'sudo bash $0'."
fi
if ! [[ "$WANTED_NR" =~ ^[0-9]+$ ]]; then
    fail "VIDEO_NR must be a number such as 10, not '$WANTED_NR'."
fi

# The /dev path of the device labelled "Studio Camera", if one exists.
studio_device() {
    local node
    for node in /sys/class/video4linux/video*; do
        [[ -r "$node/name" ]] || continue
        if [[ "$(<"$node/name")" == "$LABEL" ]]; then
            printf '/dev/%s\n' "${node##*/}"
            return 0
        fi
    done
    return 1
}

# v4l2loopback reads these options again whenever the module loads, e.g. at boot.
persist() {
    local nr="$1"
    local options="options $MODULE devices=1 video_nr=$nr exclusive_caps=1 card_label=\"$LABEL\""
    write_if_changed "$LOAD_CONF" "$MODULE"
    write_if_changed "$OPTIONS_CONF" "$options"
    local other
    other="$(grep -ls "^options[[:space:]]\+$MODULE" /etc/modprobe.d/*.conf | grep -vxF "$OPTIONS_CONF" || true)"
    if [[ -n "$other" ]]; then
        say "warning: $other also sets $MODULE options; after a reboot they may win over $OPTIONS_CONF."
    fi
}

write_if_changed() {
    local path="$1" content="$2"
    if [[ -f "$path" && "$(<"$path")" == "$content" ]]; then
        return 0
    fi
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" >"$path"
    say "wrote $path"
}

module_available() { modinfo "$MODULE" >/dev/null 2>&1; }
module_loaded() { [[ -d "/sys/module/$MODULE" ]]; }

install_module() {
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "the $MODULE kernel module is missing and this is not an apt system. Install it with your" \
            "package manager (Fedora: 'dnf install akmod-v4l2loopback' from RPM Fusion; Arch: 'pacman -S" \
            "v4l2loopback-dkms linux-headers'), then run this script again."
    fi
    say "installing $MODULE (DKMS builds it for the running kernel; this takes a minute)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    local packages=(v4l2loopback-dkms)
    local headers
    headers="linux-headers-$(uname -r)"
    # Cloud and custom kernels may have no headers package; DKMS then says what it needs.
    if apt-cache show "$headers" >/dev/null 2>&1; then
        packages+=("$headers")
    else
        say "no package $headers for this kernel; trying without it"
    fi
    apt-get install -y --no-install-recommends "${packages[@]}"
    if ! module_available; then
        fail "$MODULE was installed but no module was built for kernel $(uname -r). Install that" \
            "kernel's headers, run 'sudo dpkg-reconfigure v4l2loopback-dkms', or reboot into the newest kernel."
    fi
}

free_video_nr() {
    local nr="$1"
    while [[ -e "/dev/video$nr" ]]; do
        nr=$((nr + 1))
        if ((nr > 63)); then
            fail "no free /dev/videoN number from $1 to 63."
        fi
    done
    printf '%s\n' "$nr"
}

wait_for_device() {
    local _
    for _ in $(seq 50); do
        studio_device && return 0
        sleep 0.1
    done
    return 1
}

# Already there (a previous run, or loaded by hand): only make sure it comes back after reboot.
if device="$(studio_device)"; then
    persist "${device#/dev/video}"
    say "the $LABEL is ready: $device"
    echo "$device"
    exit 0
fi

module_available || install_module

if module_loaded; then
    # Another app (often OBS) loaded v4l2loopback with its own devices. Newer versions can add a
    # device beside them; unloading would take away the other app's camera, so ask first.
    nr="$(free_video_nr "$WANTED_NR")"
    if command -v v4l2loopback-ctl >/dev/null 2>&1 &&
        v4l2loopback-ctl add -n "$LABEL" -x 1 "/dev/video$nr" >/dev/null 2>&1; then
        say "added the $LABEL beside the $MODULE devices already loaded"
    else
        fail "$MODULE is already loaded without a '$LABEL' device, and this version cannot add one." \
            "Close apps using its cameras, run 'sudo modprobe -r $MODULE', then run this script again."
    fi
else
    nr="$(free_video_nr "$WANTED_NR")"
    if ! modprobe "$MODULE" devices=1 video_nr="$nr" exclusive_caps=1 card_label="$LABEL"; then
        fail "could not load $MODULE. With Secure Boot on, the module must be signed: enrol the DKMS key" \
            "('sudo mokutil --import /var/lib/dkms/mok.pub', then reboot) or turn Secure Boot off."
    fi
fi

if ! device="$(wait_for_device)"; then
    fail "$MODULE loaded but no '$LABEL' device appeared; see 'sudo dmesg | tail'."
fi
persist "${device#/dev/video}"
say "the $LABEL is ready: $device"
echo "$device"
