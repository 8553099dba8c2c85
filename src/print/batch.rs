//! Many sheets at once: each session file read, laid out and written on its own,
//! on every core, a bad file reported and the rest still printed. Used by the
//! command line and by the app's "Print all plan sheets".

use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};

use crate::model::{PaperSize, SessionStatus};
use crate::storage::{Practice, Problem};

use super::send::PrintService;
use super::source::load_session_file;
use super::{DocumentKind, Printed, SessionSheet, file_name, plan_sheet, take_home_sheet};

/// Where the PDFs go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// This file (one session only).
    File(PathBuf),
    /// One file per session in this folder, named by [`file_name`].
    Folder(PathBuf),
    /// Nowhere: only to the printer.
    PrinterOnly,
}

/// What to do with each session.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub kind: DocumentKind,
    /// The practice's paper unless set.
    pub paper: Option<PaperSize>,
    pub printer: Option<(&'a str, &'a dyn PrintService)>,
    pub printed_at: DateTime,
}

/// What became of one session file.
#[derive(Debug)]
pub struct Outcome {
    pub source: PathBuf,
    /// The PDF written, if one was; or what went wrong.
    pub result: Result<Option<PathBuf>, SheetError>,
    /// Characters the PDF shows as boxes, for a warning.
    pub unprintable: Option<super::Unprintable>,
}

/// Why one session's sheet was not made, written or printed; each says which
/// file, as `path:line:col: message` where it can.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{0}")]
    Unreadable(Problem),
    #[error(
        "{}: the plan sheet was not printed, because the clinic's safety rules cannot be read, so its \
         warnings would be missing: {problem}",
        path.display()
    )]
    ClinicRulesUnreadable { path: PathBuf, problem: Problem },
    #[error("{}: {error}", path.display())]
    NotMade { path: PathBuf, error: super::PrintError },
    #[error(transparent)]
    NotWritten(#[from] super::destination::Refused),
    #[error("{}: not printed on {printer}: {error}", path.display())]
    NotPrinted { path: PathBuf, printer: String, error: super::PrintError },
}

/// The sheet of one session as a PDF's bytes, with the name it gets in a folder.
pub fn session_pdf(
    path: &Path,
    kind: DocumentKind,
    paper: Option<PaperSize>,
    printed_at: DateTime,
) -> Result<(Vec<u8>, String, Option<super::Unprintable>), SheetError> {
    let loaded = load_session_file(path).map_err(SheetError::Unreadable)?;
    if kind == DocumentKind::PlanSheet
        && let Some(problem) = loaded.clinic_rules_problem.clone()
    {
        return Err(SheetError::ClinicRulesUnreadable { path: path.to_owned(), problem });
    }
    let sheet = SessionSheet {
        settings: &loaded.settings,
        clinic_rules: &loaded.clinic_rules,
        client: loaded.client.as_ref(),
        session: &loaded.session,
        previous: loaded.previous.as_ref(),
        source: &loaded.shown_path,
        printed_at,
        paper: paper.unwrap_or(loaded.settings.paper_size),
    };
    let printed: Printed = match kind {
        DocumentKind::TakeHome => take_home_sheet(&sheet),
        DocumentKind::Consent => super::consent_form(&sheet),
        _ => plan_sheet(&sheet),
    }
    .map_err(|error| SheetError::NotMade { path: path.to_owned(), error })?;
    let pdf = printed.pdf().map_err(|error| SheetError::NotMade { path: path.to_owned(), error })?;
    Ok((pdf, file_name(kind, &loaded.session), printed.unprintable()))
}

/// Prints every file of `sources`, on all cores; the outcomes come back in the
/// order of `sources`.
pub fn print_sessions(sources: &[PathBuf], job: Job<'_>, output: &Output) -> Vec<Outcome> {
    crate::cores::on_every_core(sources, |source| {
        let mut unprintable = None;
        let result = print_one(source, job, output, &mut unprintable);
        Outcome { source: source.clone(), result, unprintable }
    })
}

fn print_one(
    source: &Path,
    job: Job<'_>,
    output: &Output,
    unprintable: &mut Option<super::Unprintable>,
) -> Result<Option<PathBuf>, SheetError> {
    let (pdf, name, missing) = session_pdf(source, job.kind, job.paper, job.printed_at)?;
    *unprintable = missing;
    let written = match output {
        Output::File(path) => Some(path.clone()),
        Output::Folder(folder) => Some(folder.join(&name)),
        Output::PrinterOnly => None,
    };
    if let Some(path) = &written {
        super::destination::write_pdf(path, &pdf)?;
    }
    if let Some((printer, service)) = job.printer {
        let paper = job.paper.unwrap_or_default();
        // A day's sheets are not waited on one by one: nothing stops them but an end signal.
        let never = std::sync::atomic::AtomicBool::new(false);
        send_bytes(service, printer, &job.kind.job_title(), &pdf, paper, written.as_deref(), &never)
            .map_err(|error| SheetError::NotPrinted {
                path: source.to_owned(),
                printer: printer.to_owned(),
                error,
            })?;
    }
    Ok(written)
}

/// Sends a PDF to a printer, from its file if it has one, else from a temporary file.
pub fn send_bytes(
    service: &dyn PrintService,
    printer: &str,
    title: &str,
    pdf: &[u8],
    paper: PaperSize,
    written: Option<&Path>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<(), super::PrintError> {
    match written {
        Some(path) => service.print(path, printer, title, paper, 1, stop),
        None => {
            let no_file = super::send::SendError::NoTemporaryFile;
            let file = tempfile::Builder::new()
                .prefix("knotmap-print-")
                .suffix(".pdf")
                .tempfile()
                .map_err(no_file)?;
            std::fs::write(file.path(), pdf).map_err(no_file)?;
            service.print(file.path(), printer, title, paper, 1, stop)
        }
    }
}

/// A session of a day's list.
#[derive(Clone, Debug, PartialEq)]
pub struct DayEntry {
    pub starts_at: DateTime,
    pub client: crate::model::ClientId,
    pub client_name: String,
    pub session: crate::model::SessionId,
    pub therapist: String,
    pub status: SessionStatus,
    pub path: PathBuf,
}

/// Every session planned on `day` in the practice, across clients and
/// therapists: not cancelled and not entered in error, in the order of their start.
pub fn day_list(practice: &mut Practice, day: Date) -> Vec<DayEntry> {
    let clients: Vec<_> = practice.clients().map(|entry| entry.client.id.clone()).collect();
    let mut found = Vec::new();
    for client in clients {
        found.extend(client_day_list(practice, &client, day));
    }
    sort_day(&mut found);
    found
}

/// The sessions of one client on `day`, as [`day_list`] lists them, read from disk.
pub fn client_day_list(practice: &mut Practice, client: &crate::model::ClientId, day: Date) -> Vec<DayEntry> {
    let Some(client_name) = practice.client(client).map(|entry| entry.client.name.clone()) else {
        return Vec::new();
    };
    let sessions = practice.read_sessions(client);
    let path_of = |session: &crate::model::Session| practice.session_path(client, &session.id);
    sessions
        .iter()
        .filter_map(|session| day_entry(day, client, &client_name, session, path_of(session)))
        .collect()
}

/// `session` as an entry of `day`'s list, if it happens that day (not cancelled,
/// not entered in error).
pub fn day_entry(
    day: Date,
    client: &crate::model::ClientId,
    client_name: &str,
    session: &crate::model::Session,
    path: PathBuf,
) -> Option<DayEntry> {
    let on_day = session.starts_at.date() == day;
    let happening =
        matches!(session.status, SessionStatus::Planned | SessionStatus::Ready | SessionStatus::Completed)
            && session.entered_in_error.is_none();
    (on_day && happening).then(|| DayEntry {
        starts_at: session.starts_at,
        path,
        client: client.clone(),
        client_name: client_name.to_owned(),
        session: session.id.clone(),
        therapist: session.therapist.clone(),
        status: session.status,
    })
}

/// The order of the day: by start, then by client.
pub fn sort_day(entries: &mut [DayEntry]) {
    entries.sort_by(|a, b| (a.starts_at, &a.client_name).cmp(&(b.starts_at, &b.client_name)));
}

/// The session files of every session planned on `day` ([`day_list`]).
pub fn sessions_on(practice: &mut Practice, day: Date) -> Vec<PathBuf> {
    day_list(practice, day).into_iter().map(|entry| entry.path).collect()
}
