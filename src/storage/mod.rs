//! Storage: the practice folder and the RON files the user keeps.
//!
//! The rules it keeps, because the data is the user's: every file carries a
//! format version; saves are atomic; a file changed elsewhere since it was read
//! is never overwritten; a file that cannot be read is reported with its place
//! and left untouched; a file from a newer version is never written; deleting
//! moves to the trash; folders and files are private to the user.

mod atomic;
pub mod audit;
pub mod check_cache;
pub mod conflicts;
mod format;
pub mod pin;
mod plan_file;
mod practice_folder;
pub mod presence;
mod problem;
pub mod recovery;
mod reload;
mod trash;
mod unknown_fields;
pub mod watch;
pub mod writer;

pub use atomic::{create_private_folder, write_atomically};
pub use format::{
    CURRENT_FORMAT, Fingerprint, Invalid, KeptFile, MAX_FILE_BYTES, Place, ReadFile, fingerprint_on_disk,
    from_ron, newer_message, open_regular_file, parse_file, read_file, read_limited,
    read_limited_with_metadata,
};
pub use plan_file::{OpenedPlan, PLAN_SUFFIX, PlanFile, PlanFileError, open_plan_file, save_plan_file};
pub use practice_folder::{
    CLIENT_FILE, CLIENTS_FOLDER, CONFLICT_MARK, ClientEntry, OpenError, Practice, SAFETY_RULES_FILE,
    SESSIONS_FOLDER, SETTINGS_FILE, SaveError, TRASH_FOLDER, read_session_bytes, read_session_file,
};
pub use problem::{Problem, TextPosition};
pub use reload::{ClientOnDisk, PracticePath, SessionOnDisk};
pub use trash::{TrashEntry, TrashError, TrashRecord, Trashed};
