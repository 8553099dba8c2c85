//! What a printed sheet is read from, when the command line names a session
//! file: the session, and around it in its practice folder the client's
//! profile, the practice's settings and the client's previous session.
//!
//! A session file is `PRACTICE/clients/CLIENT/sessions/ID.ron`. A sheet can be
//! printed without the rest: with the practice's default settings if
//! `practice.ron` is not there, and saying so on the sheet if the client's
//! profile cannot be read. A plan saved to a file of its own (File → Save plan
//! as…) prints too, with the client's name it carries.

use std::path::{Path, PathBuf};

use crate::model::{Client, ClinicRules, PracticeSettings, Session};
use crate::storage::{self, CLIENT_FILE, Problem, SAFETY_RULES_FILE, SETTINGS_FILE, read_file};

/// A session ready to print, with what the sheet says about it.
#[derive(Clone, Debug)]
pub struct LoadedSession {
    pub settings: PracticeSettings,
    /// The clinic's own safety rules, loosenings left out (none outside a practice).
    pub clinic_rules: ClinicRules,
    /// Why the practice's `safety_rules.ron` cannot be read, when it is there and cannot.
    pub clinic_rules_problem: Option<Problem>,
    pub client: Option<Client>,
    pub session: Session,
    pub previous: Option<Session>,
    /// The file, as the footer names it: from the practice folder down where there is one.
    pub shown_path: PathBuf,
}

/// Reads the session at `path` and what its sheets need from around it. Fails
/// only if the session itself cannot be read, with the file, line and column.
pub fn load_session_file(path: &Path) -> Result<LoadedSession, Problem> {
    let session = match read_file::<Session>(path) {
        Ok(read) => read.value,
        Err(problem) => {
            // A plan saved on its own carries its client's name; try that before giving up.
            return match storage::open_plan_file(path) {
                Ok(opened) => {
                    let mut client = Client::new(opened.plan.client_name);
                    client.id = opened.plan.session.client.clone();
                    Ok(LoadedSession {
                        settings: PracticeSettings::default(),
                        clinic_rules: ClinicRules::default(),
                        clinic_rules_problem: None,
                        client: Some(client),
                        session: opened.plan.session,
                        previous: None,
                        shown_path: path.to_path_buf(),
                    })
                }
                Err(_) => Err(problem),
            };
        }
    };
    let sessions_folder = path.parent();
    let client_folder = sessions_folder.and_then(Path::parent);
    let root = client_folder.and_then(Path::parent).and_then(Path::parent);
    let settings = root
        .and_then(|root| read_file::<PracticeSettings>(&root.join(SETTINGS_FILE)).ok())
        .map(|read| read.value)
        .unwrap_or_default();
    // A rules file that is there but cannot be read is said, never taken for no rules.
    let (clinic_rules, clinic_rules_problem) = match root.map(|root| root.join(SAFETY_RULES_FILE)) {
        Some(rules) if std::fs::symlink_metadata(&rules).is_ok() => match read_file::<ClinicRules>(&rules) {
            Ok(read) => (crate::safety::without_loosenings(read.value).0, None),
            Err(problem) => (ClinicRules::default(), Some(problem)),
        },
        _ => (ClinicRules::default(), None),
    };
    let client = client_folder
        .and_then(|folder| read_file::<Client>(&folder.join(CLIENT_FILE)).ok())
        .map(|read| read.value)
        .filter(|client| client.id == session.client);
    let previous = sessions_folder.and_then(|folder| previous_session(folder, path, &session));
    let shown_path = root
        .filter(|root| root.join(SETTINGS_FILE).is_file())
        .and_then(|root| path.strip_prefix(root).ok())
        .unwrap_or(path)
        .to_path_buf();
    Ok(LoadedSession { settings, clinic_rules, clinic_rules_problem, client, session, previous, shown_path })
}

/// The client's last completed session before `session`: session files sort by
/// their planned start, so the files before this one are read from the nearest
/// back, until one that happened.
fn previous_session(folder: &Path, path: &Path, session: &Session) -> Option<Session> {
    let mut earlier: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|other| other.extension().is_some_and(|ext| ext == "ron") && other.as_path() < path)
        .collect();
    earlier.sort();
    earlier.iter().rev().find_map(|other| {
        let read = read_file::<Session>(other).ok()?.value;
        (read.counts_in_history() && read.starts_at < session.starts_at && read.client == session.client)
            .then_some(read)
    })
}
