//! The `knotmap` command: opens the app, or runs a subcommand for clinics and scripts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use knotmap::cli::{Cli, PaperAndPrinter, PrintCommand, SessionPrint, Subcommands};

fn main() -> ExitCode {
    // Everything Knotmap makes holds health data: folders 0700, files 0600, whatever
    // the umask it was started with (the window's own settings file included).
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
    let cli = Cli::parse();
    match cli.command {
        None => match knotmap::ui::run(cli.practice, cli.plan) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("knotmap: {message}");
                ExitCode::FAILURE
            }
        },
        Some(Subcommands::Check { dir, no_cache }) => check(&dir, no_cache),
        Some(Subcommands::Print(command)) => {
            // Ctrl-C or SIGTERM while a printer is waited for stops it, so temporary PDFs go too.
            if let Err(error) = knotmap::print::send::stop_on_end_signals() {
                eprintln!("knotmap: cannot watch for the end signals ({error})");
            }
            print(command)
        }
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
    if let Some(message) = backwards(from, to) {
        eprintln!("knotmap history: {message}");
        return ExitCode::from(2);
    }
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

fn check(dir: &std::path::Path, no_cache: bool) -> ExitCode {
    let cache = if no_cache { None } else { knotmap::storage::check_cache::default_folder() };
    let checked = match &cache {
        Some(cache) => knotmap::check::check_practice_cached(dir, cache),
        None => knotmap::check::check_practice(dir),
    };
    let report = match checked {
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
    if report.from_cache > 0 {
        eprintln!(
            "the files of {} had not changed since the last check and were not read again (--no-cache reads \
             everything)",
            plural(report.from_cache, "client"),
        );
    }
    if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Why a range of days whose start comes after its end holds no day, said
/// rather than answered with an empty report.
fn backwards(from: Option<jiff::civil::Date>, to: Option<jiff::civil::Date>) -> Option<String> {
    let (from, to) = (from?, to?);
    (from > to).then(|| format!("--from {from} comes after --to {to}, so no day is in between; swap them"))
}

fn bad_arguments(message: &str) -> ExitCode {
    eprintln!("knotmap print: {message}");
    ExitCode::from(2)
}

fn print(command: PrintCommand) -> ExitCode {
    use knotmap::print::DocumentKind;
    match command {
        PrintCommand::Plan(args) => print_sessions(DocumentKind::PlanSheet, args),
        PrintCommand::TakeHome(args) => print_sessions(DocumentKind::TakeHome, args),
        PrintCommand::Consent(args) => print_sessions(DocumentKind::Consent, args),
        PrintCommand::Report { practice, client, from, to, output, paper } => {
            print_report(&practice, &client, knotmap::print::ReportRange { from, to }, output, &paper)
        }
    }
}

fn print_sessions(kind: knotmap::print::DocumentKind, args: SessionPrint) -> ExitCode {
    use knotmap::print::batch::{Job, Output, print_sessions, sessions_on};
    let mut failed = false;
    let sources = match (args.day, &args.practice) {
        (Some(day), Some(root)) => {
            let mut practice = match knotmap::storage::Practice::open(root) {
                Ok(practice) => practice,
                Err(error) => return bad_arguments(&error.to_string()),
            };
            let found = sessions_on(&mut practice, day);
            for problem in practice.problems() {
                if problem.path.components().any(|part| part.as_os_str() == knotmap::storage::SESSIONS_FOLDER)
                {
                    eprintln!("{problem}");
                    failed = true;
                }
            }
            if found.is_empty() {
                eprintln!("no session is planned on {day} in {}", root.display());
            }
            found
        }
        _ if args.sessions.is_empty() => {
            return bad_arguments("name at least one session file, or --day with --practice");
        }
        _ => args.sessions.clone(),
    };
    let output = match (&args.output, &args.out_dir) {
        (Some(_), _) if sources.len() > 1 || args.day.is_some() => {
            return bad_arguments("-o writes one session's PDF; use --out-dir for several");
        }
        (Some(file), _) => Output::File(file.clone()),
        (None, Some(folder)) => {
            if let Err(refused) = knotmap::print::destination::make_pdf_folder(folder) {
                return bad_arguments(&refused.to_string());
            }
            Output::Folder(folder.clone())
        }
        (None, None) if args.paper.printer.is_some() => Output::PrinterOnly,
        (None, None) => {
            return bad_arguments("say where the PDF goes: -o FILE, --out-dir DIR or --printer NAME");
        }
    };
    let cups = knotmap::print::send::Cups;
    let job = Job {
        kind,
        paper: args.paper.paper.map(Into::into),
        printer: args
            .paper
            .printer
            .as_deref()
            .map(|name| (name, &cups as &dyn knotmap::print::send::PrintService)),
        printed_at: jiff::Zoned::now().datetime(),
    };
    for outcome in print_sessions(&sources, job, &output) {
        if let Some(unprintable) = &outcome.unprintable {
            eprintln!("{}: warning: {unprintable}", outcome.source.display());
        }
        match outcome.result {
            Ok(Some(written)) => println!("{}", written.display()),
            Ok(None) => println!("{}: sent to the printer", outcome.source.display()),
            Err(message) => {
                eprintln!("{message}");
                failed = true;
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn print_report(
    root: &std::path::Path,
    client: &str,
    range: knotmap::print::ReportRange,
    output: Option<PathBuf>,
    paper: &PaperAndPrinter,
) -> ExitCode {
    if output.is_none() && paper.printer.is_none() {
        return bad_arguments("say where the report goes: -o FILE or --printer NAME");
    }
    if let Some(message) = backwards(range.from, range.to) {
        return bad_arguments(&message);
    }
    let mut practice = match knotmap::storage::Practice::open(root) {
        Ok(practice) => practice,
        Err(error) => return bad_arguments(&error.to_string()),
    };
    let Some(id) = knotmap::model::ClientId::new(client).ok().filter(|id| practice.client(id).is_some())
    else {
        return bad_arguments(&format!(
            "the practice {} has no client {client:?}; client IDs are the folder names under clients/",
            root.display()
        ));
    };
    let sessions = practice.read_sessions(&id);
    let mut failed = false;
    for problem in practice.problems().iter().filter(|p| p.path.starts_with(practice.client_folder(&id))) {
        eprintln!("{problem}");
        failed = true;
    }
    let Some(entry) = practice.client(&id) else {
        return bad_arguments(&format!("the practice has no client {client:?}"));
    };
    let folder = practice.client_folder(&id);
    let shown = folder.strip_prefix(root).unwrap_or(&folder).to_path_buf();
    let input = knotmap::print::ReportInput {
        settings: practice.settings(),
        client: &entry.client,
        sessions: &sessions,
        range,
        source: &shown,
        printed_at: jiff::Zoned::now().datetime(),
        paper: paper.paper.map(Into::into).unwrap_or(practice.settings().paper_size),
    };
    let made = knotmap::print::progress_report(&input).and_then(|report| {
        if let Some(unprintable) = report.unprintable() {
            eprintln!("{}: warning: {unprintable}", folder.display());
        }
        report.pdf()
    });
    let pdf = match made {
        Ok(pdf) => pdf,
        Err(error) => {
            eprintln!("{}: {error}", folder.display());
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &output {
        if let Err(refused) = knotmap::print::destination::write_pdf(path, &pdf) {
            eprintln!("{refused}");
            return ExitCode::FAILURE;
        }
        println!("{}", path.display());
    }
    if let Some(printer) = &paper.printer {
        let sent = knotmap::print::batch::send_bytes(
            &knotmap::print::send::Cups,
            printer,
            &knotmap::print::DocumentKind::ProgressReport.job_title(),
            &pdf,
            input.paper,
            output.as_deref(),
            &std::sync::atomic::AtomicBool::new(false),
        );
        if let Err(error) = sent {
            eprintln!("{}: not printed on {printer}: {error}", folder.display());
            failed = true;
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
