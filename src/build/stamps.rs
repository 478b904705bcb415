//! When a build trusts what the file system says of a data file instead of reading it.
//!
//! A file's stamp is its size, modification time (to the nanosecond) and inode
//! ([`crate::dataset::stamp_of`]). A build records each article file's stamp beside its SHA-256,
//! and a later build reads and hashes only the files whose stamp is not the recorded one, as git's
//! index does. Like git, it guards against "racily clean" files: a file modified within
//! [`SETTLING`] of the moment a build looked at the files could be changed again after it was read
//! within the same tick of the file system's clock, keeping its stamp. Such a stamp is not
//! recorded (the file is hashed again by the next build, which then records it), and a store
//! whose newest data file is that recent is not declared up to date from stamps alone.
//!
//! What this trusts: that a file whose size, modification time and inode are unchanged has
//! unchanged contents. A tool that rewrites a file in place keeping its size and then sets its
//! modification time back defeats it; `brikg build --verify` ([`FileCheck::Contents`]) reads and
//! hashes every file whatever its stamp.

use crate::dataset::stamp_modified;
use std::time::{Duration, SystemTime};

/// How a build tells which data files changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileCheck {
    /// Trust unchanged stamps: only files whose stamp changed are read (the default).
    #[default]
    Stamps,
    /// Read and hash every file (`brikg build --verify`).
    Contents,
}

/// How long before a build looked at the files a file's last change must be for its stamp to be
/// trusted: longer than the coarsest clock of a common file system (FAT's 2 s; ext4 and others
/// tick every few milliseconds, and the kernel's file time lags the wall clock by up to a tick).
pub(super) const SETTLING: Duration = Duration::from_secs(2);

/// Now, as a duration since the Unix epoch (how stamps count time).
pub(super) fn now() -> Duration {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Whether a file last modified at `modified` had settled when a build looked at the files at
/// `taken`.
pub(super) fn settled_at(modified: Duration, taken: Duration) -> bool {
    modified + SETTLING <= taken
}

/// The stamp to record for a file stamped `stamp` by a build that looked at the files at
/// `taken`: none when the file had not settled (it is hashed again next time).
pub(super) fn recordable(stamp: Option<&str>, taken: Duration) -> Option<&str> {
    stamp.filter(|s| stamp_modified(s).is_some_and(|m| settled_at(m, taken)))
}

/// A build time as the build state records it, `seconds.nanoseconds`.
pub(super) fn format_time(time: Duration) -> String {
    format!("{}.{:09}", time.as_secs(), time.subsec_nanos())
}

/// A build time recorded by [`format_time`].
pub(super) fn parse_time(text: &str) -> Option<Duration> {
    let (seconds, nanos) = text.split_once('.')?;
    Some(Duration::new(seconds.parse().ok()?, nanos.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_recorded_only_once_the_file_has_settled() {
        let taken = Duration::new(1_000, 500_000_000);
        assert_eq!(
            recordable(Some("10:998.500000000:7"), taken),
            Some("10:998.500000000:7")
        );
        assert_eq!(recordable(Some("10:998.500000001:7"), taken), None);
        assert_eq!(recordable(Some("10:1000.400000000:7"), taken), None);
        assert_eq!(recordable(Some("not a stamp"), taken), None);
        assert_eq!(recordable(None, taken), None);
    }

    #[test]
    fn build_times_read_back_as_written() {
        let t = Duration::new(1_765_000_000, 1_234);
        assert_eq!(format_time(t), "1765000000.000001234");
        assert_eq!(parse_time(&format_time(t)), Some(t));
        assert_eq!(parse_time("12"), None);
    }
}
