#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing `diffusion submit` for real (CI runs it as root on Debian 12):
# installs Debian's slurm-wlm and munge, writes a munge key and a slurm.conf for this host (CPUs=2, small RealMemory,
# one partition "debug"), and starts munged, slurmctld and slurmd directly (no systemd). Idempotent: daemons already
# running are left alone. Stop them with: scripts/slurm-local.sh stop
# Exit status: 0 when `sinfo` shows the node ready, 1 otherwise (with a message saying which step failed).
set -uo pipefail
fail() { echo "slurm-local: FAILED: $*" >&2; exit 1; }
state=/tmp/slurm-local
mkdir -p "$state"
host=$(hostname -s)

if [ "${1:-}" = stop ]; then
  for pidfile in "$state/slurmd.pid" "$state/slurmctld.pid" /run/munge/munged.pid; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    rm -f "$pidfile"
  done
  echo "slurm-local: stopped"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages and starts daemons)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  echo "slurm-local: installing slurm-wlm and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$state/apt.log" 2>&1 || { tail -5 "$state/apt.log" >&2; fail "apt-get update (is there network access to the Debian mirrors?)"; }
  apt-get install -y -qq slurm-wlm munge >>"$state/apt.log" 2>&1 || { tail -5 "$state/apt.log" >&2; fail "apt-get install -y slurm-wlm munge"; }
fi

# munge: a key readable only by the munge user, and the daemon running as munge.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none || fail "writing /etc/munge/munge.key"
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge && chown munge:munge /run/munge /var/lib/munge /var/log/munge
if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force || fail "starting munged"   # writes /run/munge/munged.pid
  sleep 1
  munge -n </dev/null | unmunge >/dev/null 2>&1 || fail "munge does not work (munge -n | unmunge)"
fi

# slurm.conf for one node: this host, 2 CPUs, 1000 MB; no cgroups, no accounting (none of them in a container).
conf=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat >"$conf.new" <<CONF
# Written by scripts/slurm-local.sh: a one-node test cluster on $host.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.new" "$conf"
# No cgroup.conf: slurmd 22.05 loads a cgroup plugin at start whatever the config and autodetects v1/v2 on its own
# ("CgroupPlugin=disabled" does not exist before 23.x); proctrack/linuxproc and task/none never use it.

if ! scontrol ping 2>/dev/null | grep -q UP; then
  slurmctld || fail "starting slurmctld (see /var/log/slurm/slurmctld.log)"
fi
if ! pgrep -x slurmd >/dev/null; then
  slurmd || fail "starting slurmd (see /var/log/slurm/slurmd.log)"
fi

# Wait (at most 60 s) for the node to be usable; resume it if it came up DOWN or DRAINED.
for i in $(seq 1 60); do
  node=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -1)
  case "$node" in
    idle*|mixed*|allocated*) echo "slurm-local: node $host is $node"; exit 0 ;;
    down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 ;;
  esac
  sleep 1
done
tail -5 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 2>/dev/null
fail "node $host did not become idle within 60 s (state: ${node:-unknown})"
