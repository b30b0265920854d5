//! Files a program creates are its own: databases, the numbers record, printed tickets and
//! logs hold tokens, signatures and visitors' numbers, so nobody else on the machine may read
//! them. The process umask does it once for every file SQLite and the programs create, and
//! SQLite gives its `-wal` and `-shm` files the database's own mode.

use rustix::fs::Mode;

/// Bits cleared from every new file and folder: group and others get nothing (0600 files,
/// 0700 folders).
pub const OWNER_ONLY: u32 = 0o077;

/// Makes every file and folder this process creates from now on readable by its owner only.
/// Returns the mask that was in force.
pub fn restrict_new_files() -> u32 {
    let previous = rustix::process::umask(Mode::from_raw_mode(OWNER_ONLY));
    // Never loosen a stricter mask set by whoever started the program.
    let strictest = previous.as_raw_mode() | OWNER_ONLY;
    rustix::process::umask(Mode::from_raw_mode(strictest));
    previous.as_raw_mode()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn new_files_and_folders_are_the_owners_only() {
        restrict_new_files();
        let folder = tempfile::tempdir().expect("temp dir");
        let file = folder.path().join("secret.db");
        std::fs::write(&file, b"x").expect("write");
        let inner = folder.path().join("inner");
        std::fs::create_dir(&inner).expect("mkdir");
        let mode = |path: &std::path::Path| {
            std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
        };
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&inner), 0o700);
        let connection = rusqlite::Connection::open(folder.path().join("k.db")).expect("open");
        connection
            .execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("write");
        for name in ["k.db", "k.db-wal", "k.db-shm"] {
            assert_eq!(mode(&folder.path().join(name)), 0o600, "{name}");
        }
        assert_eq!(restrict_new_files() & OWNER_ONLY, OWNER_ONLY, "kept");
    }
}
