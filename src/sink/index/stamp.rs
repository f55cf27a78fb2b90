//! What `stat` says of a file, as git's index keeps it: a file whose stamp is unchanged has
//! not been written since, unless it was written within the same tick of the clock as the
//! stamp was taken, which [`Stamp::is_racy`] tells.

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;

/// Size, modification and change times, inode and mode: any write, rename, replacement or
/// change of mode changes one of them, and `touch` with an old time still moves the change
/// time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    size: u64,
    modified: Moment,
    changed: Moment,
    inode: u64,
    mode: u32,
}

/// A file system time, to the nanosecond it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Moment {
    seconds: i64,
    nanos: i64,
}

impl Moment {
    /// When the file `meta` describes was last written.
    pub(crate) fn modified(meta: &Metadata) -> Self {
        Self {
            seconds: meta.mtime(),
            nanos: meta.mtime_nsec(),
        }
    }
}

impl Stamp {
    pub(crate) fn of(meta: &Metadata) -> Self {
        Self {
            size: meta.size(),
            modified: Moment::modified(meta),
            changed: Moment {
                seconds: meta.ctime(),
                nanos: meta.ctime_nsec(),
            },
            inode: meta.ino(),
            mode: meta.mode(),
        }
    }

    /// Whether the file may have been written again after the stamp without changing it:
    /// it was last touched no earlier than `start`, the file system's time when the reads
    /// the stamp vouches for began, so a later write within that tick keeps every time.
    pub(crate) fn is_racy(&self, start: Moment) -> bool {
        self.modified >= start || self.changed >= start
    }

    pub(crate) fn to_text(self) -> String {
        format!(
            "{}:{}:{}:{}:{}:{}:{}",
            self.size,
            self.modified.seconds,
            self.modified.nanos,
            self.changed.seconds,
            self.changed.nanos,
            self.inode,
            self.mode
        )
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(':');
        let mut next = || parts.next()?.parse::<i64>().ok();
        let stamp = Self {
            size: u64::try_from(next()?).ok()?,
            modified: Moment {
                seconds: next()?,
                nanos: next()?,
            },
            changed: Moment {
                seconds: next()?,
                nanos: next()?,
            },
            inode: u64::try_from(next()?).ok()?,
            mode: u32::try_from(next()?).ok()?,
        };
        parts.next().is_none().then_some(stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, "a").unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&file).unwrap());
        assert_eq!(Stamp::parse(&stamp.to_text()), Some(stamp));
        assert_eq!(Stamp::parse("1:2:3"), None);
        assert_eq!(Stamp::parse(&format!("{}:9", stamp.to_text())), None);
    }

    #[test]
    fn a_write_changes_the_stamp_and_a_stamp_from_the_reads_tick_is_racy() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        std::fs::write(&file, "one").unwrap();
        let before = Stamp::of(&std::fs::metadata(&file).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "two").unwrap();
        let after = Stamp::of(&std::fs::metadata(&file).unwrap());
        assert_ne!(before, after, "same size, yet the times moved");
        assert!(after.is_racy(after.modified));
        assert!(!before.is_racy(after.modified));
    }
}
