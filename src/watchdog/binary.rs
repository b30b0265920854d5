//! Whether the program file this process runs from was replaced (a package upgrade unpacks
//! the new `/usr/bin/mpp-kiosk` and renames it over the old one): the file at the path the
//! process was started from is no longer the one running.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The running program: where it was started from, and which file that was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Running {
    path: PathBuf,
    identity: Identity,
}

/// Device and inode: what stays the same for one file whatever its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
}

impl Identity {
    fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Self {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }
}

impl Running {
    /// This process's program, from `/proc/self/exe` (`None` without /proc).
    pub fn this_process() -> Option<Self> {
        let exe = Path::new("/proc/self/exe");
        let link = std::fs::read_link(exe).ok()?;
        // Already replaced before we looked: the kernel marks the old name.
        let text = link.to_string_lossy();
        let path = PathBuf::from(text.strip_suffix(" (deleted)").unwrap_or(&text));
        // stat() of the magic link reaches the running file even once it is unlinked.
        let identity = Identity::of(exe)?;
        Some(Self { path, identity })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A different file now sits at the path (a missing one is not a replacement: the
    /// package may be being removed, or be half unpacked).
    pub fn replaced(&self) -> bool {
        Identity::of(&self.path).is_some_and(|now| now != self.identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_renamed_over_the_path_is_a_replacement() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("mpp-kiosk");
        std::fs::write(&path, b"old").expect("write");
        let running = Running {
            path: path.clone(),
            identity: Identity::of(&path).expect("stat"),
        };
        assert!(!running.replaced());
        std::fs::write(&path, b"rewritten in place").expect("write");
        assert!(
            !running.replaced(),
            "same file, new bytes: not what dpkg does"
        );
        let new = folder.path().join("mpp-kiosk.dpkg-new");
        std::fs::write(&new, b"new").expect("write");
        std::fs::rename(&new, &path).expect("rename");
        assert!(running.replaced());
        std::fs::remove_file(&path).expect("remove");
        assert!(!running.replaced(), "gone is not replaced");
    }

    #[test]
    fn this_process_is_found_and_not_replaced() {
        let running = Running::this_process().expect("/proc/self/exe");
        assert!(running.path().is_absolute());
        assert!(!running.replaced());
    }
}
