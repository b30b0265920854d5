//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary folder,
//! `pg_ctl` on a free loopback port with its socket in that folder, trust authentication for
//! the superuser [`SUPERUSER`], stopped and removed when dropped. `initdb` refuses root: under
//! root (CI) it runs as the `postgres` user (Debian's package makes it), else as `mpp-screen`.
//! [`Cluster::crash`] is `pg_ctl -m immediate stop`, what a power cut does to the server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::free_port;

/// The superuser `initdb` makes, whatever the system user.
pub const SUPERUSER: &str = "mpp";
/// Names a folder holding `initdb` and `pg_ctl`, instead of the newest /usr/lib/postgresql/*/bin.
pub const BIN_OVERRIDE: &str = "MPP_PG_BIN";

/// A running cluster (see the module documentation).
pub struct Cluster {
    folder: tempfile::TempDir,
    port: u16,
    bin: PathBuf,
    /// The system user the server runs as, when this process is root.
    run_as: Option<&'static str>,
}

impl Cluster {
    /// A new cluster, started, with an empty database `mpp`.
    pub fn start() -> Self {
        let bin = bin_folder().unwrap_or_else(|missing| panic!("{missing}"));
        let folder = tempfile::tempdir().expect("temp dir");
        let run_as = is_root().then(unprivileged_user);
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(user)
                .arg(folder.path())
                .status()
                .expect("chown");
            assert!(status.success(), "cannot give {user} the cluster's folder");
        }
        let cluster = Self {
            folder,
            port: free_port(),
            bin,
            run_as,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                path_text(&data),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        cluster.start_again();
        cluster.run(
            "createdb",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &cluster.port.to_string(),
                "-U",
                SUPERUSER,
                "mpp",
            ],
        );
        cluster
    }

    /// The address of database `name` on this cluster, for `database = "…"`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{name}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Makes another empty database.
    pub fn create_database(&self, name: &str) {
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", SUPERUSER, name],
        );
    }

    /// Starts the server on the existing data (after [`Cluster::crash`]) and waits for it.
    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
            self.port,
            path_text(self.folder.path())
        );
        let log = self.folder.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                path_text(&self.data()),
                "-o",
                &options,
                "-l",
                path_text(&log),
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server at once, without a checkpoint: what a crash or power cut does.
    pub fn crash(&self) {
        self.stop("immediate");
    }

    /// Memory of the server's processes (the postmaster and its children), in bytes: their
    /// proportional set sizes, so the shared buffers every process maps count once.
    pub fn memory_bytes(&self) -> Option<u64> {
        let pid_file = std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?;
        let postmaster: u32 = pid_file.lines().next()?.trim().parse().ok()?;
        let children =
            std::fs::read_to_string(format!("/proc/{postmaster}/task/{postmaster}/children"))
                .unwrap_or_default();
        let pids = std::iter::once(postmaster).chain(
            children
                .split_whitespace()
                .filter_map(|pid| pid.parse().ok()),
        );
        Some(pids.filter_map(pss_of).sum())
    }

    fn data(&self) -> PathBuf {
        self.folder.path().join("data")
    }

    fn stop(&self, mode: &str) {
        self.run(
            "pg_ctl",
            &["-D", path_text(&self.data()), "-m", mode, "-w", "stop"],
        );
    }

    /// Runs one of PostgreSQL's programs as the cluster's user; panics with its output if it fails.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bin.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&program);
                command
            }
            None => Command::new(&program),
        };
        let output = command
            .args(args)
            .current_dir(self.folder.path())
            .output()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
        assert!(
            output.status.success(),
            "{} {args:?} failed: {}\n{}",
            program.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.stop("fast")));
        }
    }
}

/// Proportional set size of process `pid` (Linux `smaps_rollup`), in bytes.
fn pss_of(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let line = rollup.lines().find(|line| line.starts_with("Pss:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Whether PostgreSQL's programs are installed; when they are not, says loudly that `test`
/// was skipped (and fails under `CI=true`, see [`crate::skip`]).
pub fn installed_or_skip(test: &str) -> bool {
    match bin_folder() {
        Ok(_) => true,
        Err(missing) => {
            crate::skip::skipped(test, &missing);
            false
        }
    }
}

/// `MPP_PG_BIN`, else the newest installed version's programs.
fn bin_folder() -> Result<PathBuf, String> {
    if let Some(folder) = std::env::var_os(BIN_OVERRIDE) {
        let folder = PathBuf::from(folder);
        return if folder.join("initdb").exists() {
            Ok(folder)
        } else {
            Err(format!(
                "{BIN_OVERRIDE}={} holds no initdb",
                folder.display()
            ))
        };
    }
    let missing = || "PostgreSQL is not installed (apt-get install postgresql)".to_owned();
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| missing())?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(missing)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|meta| std::os::unix::fs::MetadataExt::uid(&meta) == 0)
        .unwrap_or(false)
}

/// The user to run PostgreSQL as under root: `postgres`, else `mpp-screen` (made by .ci/run).
fn unprivileged_user() -> &'static str {
    let exists = |user: &str| {
        Command::new("id")
            .arg(user)
            .output()
            .is_ok_and(|output| output.status.success())
    };
    ["postgres", "mpp-screen"]
        .into_iter()
        .find(|user| exists(user))
        .expect("running as root, but neither user postgres nor mpp-screen exists")
}
