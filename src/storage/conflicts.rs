//! Conflict copies: the second version of a file that a sync tool, or Knotmap
//! itself, keeps beside the first when two laptops changed it at once. Each is
//! recognised by its tool's naming, with the file it is a version of, so that
//! `check` and the app can say "two versions of …" instead of "a stray file".
//!
//! - Knotmap: `ID.conflict-20261130-100203.ron` (and `…-2.ron`)
//! - Syncthing: `ID.sync-conflict-20261130-100203-ABCDEFG.ron`
//! - Dropbox: `ID (Alex's conflicted copy 2026-11-30).ron`
//! - Nextcloud and ownCloud: `ID (conflicted copy 2026-11-30 100203).ron`
//! - OneDrive: `ID-LAPTOP2.ron` (the computer's name, which has capitals; IDs never do)

/// What Knotmap puts in the name of a copy it keeps beside a file changed
/// elsewhere: `<name>.conflict-<time>.ron`.
pub const CONFLICT_MARK: &str = ".conflict-";

/// The tool that made a conflict copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncTool {
    Knotmap,
    Syncthing,
    /// Dropbox, Nextcloud and ownCloud all say "conflicted copy".
    ConflictedCopy,
    OneDrive,
}

impl SyncTool {
    pub fn name(self) -> &'static str {
        match self {
            SyncTool::Knotmap => "Knotmap",
            SyncTool::Syncthing => "Syncthing",
            SyncTool::ConflictedCopy => "the sync tool (Dropbox, Nextcloud or ownCloud)",
            SyncTool::OneDrive => "OneDrive",
        }
    }
}

/// A conflict copy: which file it is a version of, and who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictCopy {
    /// The name of the file it is a version of, e.g. `2026-11-26-0930-x8d1m.ron`.
    pub original: String,
    pub tool: SyncTool,
}

/// The conflict copy that the file named `name` is, if it is one. `is_id`
/// says whether a stem is a name the folder's files have (a client or session ID).
pub fn conflict_copy(name: &str, is_id: impl Fn(&str) -> bool) -> Option<ConflictCopy> {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !extension.contains(' ') => (stem, format!(".{extension}")),
        _ => (name, String::new()),
    };
    let found = |original: &str, tool| {
        is_id(original).then(|| ConflictCopy { original: format!("{original}{extension}"), tool })
    };
    if let Some((original, _)) = stem.split_once(".sync-conflict-") {
        return found(original, SyncTool::Syncthing);
    }
    if let Some((original, _)) = stem.split_once(CONFLICT_MARK) {
        return found(original, SyncTool::Knotmap);
    }
    if let Some((original, rest)) = stem.split_once(" (")
        && rest.ends_with(')')
        && rest.contains("conflicted copy")
    {
        return found(original, SyncTool::ConflictedCopy);
    }
    if let Some((original, device)) = stem.rsplit_once('-')
        && !device.is_empty()
        && device.chars().any(|c| c.is_ascii_uppercase())
    {
        return found(original, SyncTool::OneDrive);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_id(stem: &str) -> bool {
        crate::model::SessionId::new(stem).is_ok()
    }

    #[test]
    fn each_sync_tool_s_conflict_copy_is_recognised_with_the_file_it_is_a_version_of() {
        let original = "2026-11-26-0930-x8d1m.ron";
        for (name, tool) in [
            ("2026-11-26-0930-x8d1m.conflict-20261130-100203.ron", SyncTool::Knotmap),
            ("2026-11-26-0930-x8d1m.sync-conflict-20261130-100203-ABCDEFG.ron", SyncTool::Syncthing),
            ("2026-11-26-0930-x8d1m (Alex's conflicted copy 2026-11-30).ron", SyncTool::ConflictedCopy),
            ("2026-11-26-0930-x8d1m (conflicted copy 2026-11-30 100203).ron", SyncTool::ConflictedCopy),
            ("2026-11-26-0930-x8d1m-LAPTOP2.ron", SyncTool::OneDrive),
        ] {
            assert_eq!(
                conflict_copy(name, session_id),
                Some(ConflictCopy { original: original.to_owned(), tool }),
                "{name}"
            );
        }
    }

    #[test]
    fn an_ordinary_file_or_a_stray_one_is_no_conflict_copy() {
        assert_eq!(conflict_copy("2026-11-26-0930-x8d1m.ron", session_id), None);
        assert_eq!(conflict_copy("notes (old).txt", session_id), None);
        assert_eq!(conflict_copy("Not An Id.sync-conflict-20261130-100203-ABCDEFG.ron", session_id), None);
    }
}
