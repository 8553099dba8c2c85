//! The `knotmap` command: opens the app, or runs a subcommand for clinics and scripts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Body-map session planning for massage therapists: back, neck and shoulders.
///
/// With no subcommand, opens the app on the practice given by --practice, else
/// the one opened last, else the default practice (made on first run).
#[derive(Parser)]
#[command(name = "knotmap", version)]
struct Cli {
    /// The practice folder to open (a new, empty folder starts a new practice).
    #[arg(long, value_name = "DIR")]
    practice: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Subcommands>,
}

#[derive(Subcommand)]
enum Subcommands {
    /// Read every file of a practice and print each problem as `path:line:col: message`,
    /// and each safety warning without a written reason as `path: warning: message`.
    /// Exits with 1 if there is any problem (warnings alone do not fail), 2 if the
    /// folder is not a practice.
    Check {
        /// The practice folder.
        dir: PathBuf,
    },
    /// Write a realistic sample practice (made-up clients with months of sessions)
    /// to DIR, which must not exist yet or be empty.
    Sample {
        /// Where to write it.
        dir: PathBuf,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match knotmap::ui::run(cli.practice) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("knotmap: {message}");
                ExitCode::FAILURE
            }
        },
        Some(Subcommands::Check { dir }) => check(&dir),
        Some(Subcommands::History { practice, client, csv: _, from, to }) => {
            history(&practice, &client, from, to)
        }
        Some(Subcommands::Sample { dir }) => {
            let today = jiff::Zoned::now().date();
            match knotmap::sample::write_sample_practice(&dir, today) {
                Ok(summary) => {
                    println!("wrote a sample practice to {}: {summary}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("knotmap: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn history(
    root: &std::path::Path,
    client: &str,
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
) -> ExitCode {
    let mut practice = match knotmap::storage::Practice::open(root) {
        Ok(practice) => practice,
        Err(error) => {
            eprintln!("knotmap: {error}");
            return ExitCode::from(2);
        }
    };
    let Some(id) = knotmap::model::ClientId::new(client).ok().filter(|id| practice.client(id).is_some())
    else {
        eprintln!(
            "knotmap: the practice {} has no client {client:?}; client IDs are the folder names under clients/",
            root.display()
        );
        return ExitCode::from(2);
    };
    let within = |session: &knotmap::model::Session| {
        let day = session.starts_at.date();
        from.is_none_or(|from| day >= from) && to.is_none_or(|to| day <= to)
    };
    let sessions: Vec<_> = practice.read_sessions(&id).into_iter().filter(within).collect();
    print!("{}", knotmap::history::history_csv(&sessions));
    let unreadable: Vec<_> = practice
        .problems()
        .iter()
        .filter(|problem| problem.path.starts_with(practice.client_folder(&id)))
        .collect();
    for problem in &unreadable {
        eprintln!("{problem}");
    }
    if unreadable.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn check(dir: &std::path::Path) -> ExitCode {
    let report = match knotmap::check::check_practice(dir) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("knotmap: {error}");
            return ExitCode::from(2);
        }
    };
    for problem in &report.problems {
        println!("{problem}");
    }
    for warning in &report.warnings {
        println!("{warning}");
    }
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    eprintln!(
        "checked {} and {}: {}, {} without a written reason",
        plural(report.clients, "client"),
        plural(report.sessions, "session"),
        plural(report.problems.len(), "problem"),
        plural(report.warnings.len(), "safety warning"),
    );
    if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
