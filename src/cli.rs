//! The `knotmap` command's arguments: one definition for the parser, `--help`,
//! the man page and the shell completions (the last two are written from it by
//! tests/packaging.rs, so they cannot drift from what the command accepts).

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

/// Body-map session planning for massage therapists: back, neck and shoulders.
///
/// With no subcommand, opens the app on the practice given by --practice, else
/// the one opened last, else the default practice (made on first run).
#[derive(Parser)]
#[command(name = "knotmap", version = version_words(), after_long_help = files_help())]
pub struct Cli {
    /// The practice folder to open (a new, empty folder starts a new practice).
    #[arg(long, value_name = "DIR")]
    pub practice: Option<PathBuf>,

    /// A plan saved on its own (NAME.knotmap-plan.ron) to open in the window,
    /// as a double click on it in the file manager does.
    #[arg(value_name = "PLAN_FILE")]
    pub plan: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Subcommands>,
}

/// Where Knotmap keeps what it keeps, as the man page's FILES section and the
/// end of `--help` say it.
pub const FILES: [(&str, &str); 8] = [
    ("~/.local/share/knotmap/Practice", "the default practice, made on first run"),
    ("~/.local/share/knotmap/Sample practice", "the sample practice, never mixed into yours"),
    ("~/.local/share/knotmap/Recovery", "edits a practice could not take, kept for you"),
    ("~/.local/share/knotmap/app.ron", "this laptop's window settings and the practice opened last"),
    ("~/.local/share/knotmap/laptop-pin.ron", "this laptop's PIN, kept out of the practice"),
    ("~/Documents/Knotmap", "the PDFs the window prints to files"),
    ("~/.cache/knotmap", "what knotmap check found last time, so unchanged files are not read again"),
    ("NAME DATE.knotmap-plan.ron", "a plan saved on its own, opened by knotmap PLAN_FILE"),
];

/// What follows the files' list: the folders' rules and where the format is described.
pub const FILES_NOTE: &str = "The data folder follows XDG_DATA_HOME, the cache XDG_CACHE_HOME. A practice's files are plain RON, \
described in the README (/usr/share/doc/knotmap/README.md when installed).";

fn files_help() -> &'static str {
    static WORDS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = String::from("Files:\n");
        for (path, what) in FILES {
            words.push_str(&format!("  {path:<40} {what}\n"));
        }
        words.push_str(FILES_NOTE);
        words
    })
}

/// "0.1.0 (writes file format 4)": the version, and the files this version writes.
fn version_words() -> &'static str {
    static WORDS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        format!(
            "{} (writes file format {}; reads formats 1 to {})",
            env!("CARGO_PKG_VERSION"),
            crate::storage::CURRENT_FORMAT,
            crate::storage::CURRENT_FORMAT
        )
    })
}

#[derive(Subcommand)]
pub enum Subcommands {
    /// Read every file of a practice and print each problem as `path:line:col: message`,
    /// and each safety warning without a written reason as `path: warning: message`.
    /// Exits with 1 if there is any problem (warnings alone do not fail), 2 if the
    /// folder is not a practice.
    ///
    /// What it found is kept in the cache folder (outside the practice), so that a
    /// file unchanged since is not read again; the report is the same either way.
    Check {
        /// The practice folder.
        dir: PathBuf,
        /// Read every file, whatever the cache says (and leave the cache as it is).
        #[arg(long)]
        no_cache: bool,
    },
    /// Write a realistic sample practice (made-up clients with months of sessions)
    /// to DIR, which must not exist yet or be empty.
    Sample {
        /// Where to write it.
        dir: PathBuf,
    },
    /// Write the PDF of a plan sheet, a take-home sheet or a client's progress
    /// report, one or many at once, and send it to a printer if asked.
    ///
    /// Exits with 0 if everything was printed, 1 if something failed (each failure
    /// is reported as `path:line:col: message`, and the rest are still printed),
    /// 2 if the arguments are wrong.
    #[command(subcommand)]
    Print(PrintCommand),
    /// Write one client's history to standard output as CSV: a header row, then
    /// one row per session and region (date, session_id, status, region_id, side,
    /// layer, coarse_area, tension, pain, pressure, minutes, findings). Exits
    /// with 1 if a session file could not be read (the rest are written), 2 if
    /// the practice or the client is not there.
    History {
        /// The practice folder.
        #[arg(long, value_name = "DIR")]
        practice: PathBuf,
        /// The client's ID (the name of their folder under clients/).
        client: String,
        /// Write CSV (the only form for now; required, so that later forms can be added).
        #[arg(long, required = true)]
        csv: bool,
        /// Only sessions on or after this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<jiff::civil::Date>,
        /// Only sessions on or before this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<jiff::civil::Date>,
    },
}

#[derive(Subcommand)]
pub enum PrintCommand {
    /// Plan sheets: the therapist's copy of a session's plan.
    ///
    /// One session with -o writes that file; several, or --day, write one PDF per
    /// session into --out-dir, named DATE-TIME-CLIENT-plan.pdf (for example
    /// 2026-11-30-0900-ana-lima-plan.pdf).
    Plan(SessionPrint),
    /// Take-home sheets: what the client takes home (no health flags, no notes).
    /// Files are named DATE-TIME-CLIENT-take-home.pdf.
    TakeHome(SessionPrint),
    /// Consent forms: what the client agreed to, with the signatures as drawn
    /// and any withdrawal; blank, to sign on paper, where none is recorded.
    /// Files are named DATE-TIME-CLIENT-consent.pdf.
    Consent(SessionPrint),
    /// A client's progress report over a date range.
    Report {
        /// The practice folder.
        #[arg(long, value_name = "DIR")]
        practice: PathBuf,
        /// The client's ID (the name of their folder under clients/).
        client: String,
        /// Only sessions on or after this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<jiff::civil::Date>,
        /// Only sessions on or before this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<jiff::civil::Date>,
        /// The PDF to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        paper: PaperAndPrinter,
    },
}

#[derive(clap::Args)]
pub struct SessionPrint {
    /// Session files (PRACTICE/clients/CLIENT/sessions/ID.ron), or plans saved on their own.
    #[arg(value_name = "SESSION_FILE")]
    pub sessions: Vec<PathBuf>,
    /// Every session planned on this day (YYYY-MM-DD) in --practice, instead of files.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "practice", conflicts_with = "sessions")]
    pub day: Option<jiff::civil::Date>,
    /// The practice folder, with --day.
    #[arg(long, value_name = "DIR")]
    pub practice: Option<PathBuf>,
    /// The PDF to write, for one session.
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// The folder to write one PDF per session into (made if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub paper: PaperAndPrinter,
}

#[derive(clap::Args)]
pub struct PaperAndPrinter {
    /// The paper; the practice's setting if not given.
    #[arg(long, value_enum, value_name = "a4|letter")]
    pub paper: Option<Paper>,
    /// Send each PDF to this CUPS printer (instead of writing it, or as well if
    /// -o or --out-dir is given). `lpstat -e` lists the printers.
    #[arg(long, value_name = "NAME")]
    pub printer: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Paper {
    A4,
    Letter,
}

impl From<Paper> for crate::model::PaperSize {
    fn from(paper: Paper) -> Self {
        match paper {
            Paper::A4 => crate::model::PaperSize::A4,
            Paper::Letter => crate::model::PaperSize::Letter,
        }
    }
}

/// The command as clap describes it, for the man page and the completions.
pub fn command() -> clap::Command {
    Cli::command()
}
