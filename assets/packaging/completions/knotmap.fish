# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_knotmap_global_optspecs
    string join \n practice= h/help V/version
end

function __fish_knotmap_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_knotmap_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_knotmap_using_subcommand
    set -l cmd (__fish_knotmap_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c knotmap -n "__fish_knotmap_needs_command" -l practice -d 'The practice folder to open (a new, empty folder starts a new practice)' -r -F
complete -c knotmap -n "__fish_knotmap_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c knotmap -n "__fish_knotmap_needs_command" -s V -l version -d 'Print version'
complete -c knotmap -n "__fish_knotmap_needs_command" -a "check" -d 'Read every file of a practice and print each problem as `path:line:col: message`, and each safety warning without a written reason as `path: warning: message`. Exits with 1 if there is any problem (warnings alone do not fail), 2 if the folder is not a practice'
complete -c knotmap -n "__fish_knotmap_needs_command" -a "sample" -d 'Write a realistic sample practice (made-up clients with months of sessions) to DIR, which must not exist yet or be empty'
complete -c knotmap -n "__fish_knotmap_needs_command" -a "print" -d 'Write the PDF of a plan sheet, a take-home sheet or a client\'s progress report, one or many at once, and send it to a printer if asked'
complete -c knotmap -n "__fish_knotmap_needs_command" -a "history" -d 'Write one client\'s history to standard output as CSV: a header row, then one row per session and region (date, session_id, status, region_id, side, layer, coarse_area, tension, pain, pressure, minutes, findings). Exits with 1 if a session file could not be read (the rest are written), 2 if the practice or the client is not there'
complete -c knotmap -n "__fish_knotmap_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c knotmap -n "__fish_knotmap_using_subcommand check" -l no-cache -d 'Read every file, whatever the cache says (and leave the cache as it is)'
complete -c knotmap -n "__fish_knotmap_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c knotmap -n "__fish_knotmap_using_subcommand sample" -s h -l help -d 'Print help'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -f -a "plan" -d 'Plan sheets: the therapist\'s copy of a session\'s plan'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -f -a "take-home" -d 'Take-home sheets: what the client takes home (no health flags, no notes). Files are named DATE-TIME-CLIENT-take-home.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -f -a "consent" -d 'Consent forms: what the client agreed to, with the signatures as drawn and any withdrawal; blank, to sign on paper, where none is recorded. Files are named DATE-TIME-CLIENT-consent.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -f -a "report" -d 'A client\'s progress report over a date range'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and not __fish_seen_subcommand_from plan take-home consent report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -l day -d 'Every session planned on this day (YYYY-MM-DD) in --practice, instead of files' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -l practice -d 'The practice folder, with --day' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -s o -l output -d 'The PDF to write, for one session' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -l out-dir -d 'The folder to write one PDF per session into (made if missing)' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -l paper -d 'The paper; the practice\'s setting if not given' -r -f -a "a4\t''
letter\t''"
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -l printer -d 'Send each PDF to this CUPS printer (instead of writing it, or as well if -o or --out-dir is given). `lpstat -e` lists the printers' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -l day -d 'Every session planned on this day (YYYY-MM-DD) in --practice, instead of files' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -l practice -d 'The practice folder, with --day' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -s o -l output -d 'The PDF to write, for one session' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -l out-dir -d 'The folder to write one PDF per session into (made if missing)' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -l paper -d 'The paper; the practice\'s setting if not given' -r -f -a "a4\t''
letter\t''"
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -l printer -d 'Send each PDF to this CUPS printer (instead of writing it, or as well if -o or --out-dir is given). `lpstat -e` lists the printers' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from take-home" -s h -l help -d 'Print help'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -l day -d 'Every session planned on this day (YYYY-MM-DD) in --practice, instead of files' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -l practice -d 'The practice folder, with --day' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -s o -l output -d 'The PDF to write, for one session' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -l out-dir -d 'The folder to write one PDF per session into (made if missing)' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -l paper -d 'The paper; the practice\'s setting if not given' -r -f -a "a4\t''
letter\t''"
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -l printer -d 'Send each PDF to this CUPS printer (instead of writing it, or as well if -o or --out-dir is given). `lpstat -e` lists the printers' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from consent" -s h -l help -d 'Print help'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -l practice -d 'The practice folder' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -l from -d 'Only sessions on or after this day (YYYY-MM-DD)' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -l to -d 'Only sessions on or before this day (YYYY-MM-DD)' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -s o -l output -d 'The PDF to write' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -l paper -d 'The paper; the practice\'s setting if not given' -r -f -a "a4\t''
letter\t''"
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -l printer -d 'Send each PDF to this CUPS printer (instead of writing it, or as well if -o or --out-dir is given). `lpstat -e` lists the printers' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Plan sheets: the therapist\'s copy of a session\'s plan'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from help" -f -a "take-home" -d 'Take-home sheets: what the client takes home (no health flags, no notes). Files are named DATE-TIME-CLIENT-take-home.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from help" -f -a "consent" -d 'Consent forms: what the client agreed to, with the signatures as drawn and any withdrawal; blank, to sign on paper, where none is recorded. Files are named DATE-TIME-CLIENT-consent.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from help" -f -a "report" -d 'A client\'s progress report over a date range'
complete -c knotmap -n "__fish_knotmap_using_subcommand print; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c knotmap -n "__fish_knotmap_using_subcommand history" -l practice -d 'The practice folder' -r -F
complete -c knotmap -n "__fish_knotmap_using_subcommand history" -l from -d 'Only sessions on or after this day (YYYY-MM-DD)' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand history" -l to -d 'Only sessions on or before this day (YYYY-MM-DD)' -r
complete -c knotmap -n "__fish_knotmap_using_subcommand history" -l csv -d 'Write CSV (the only form for now; required, so that later forms can be added)'
complete -c knotmap -n "__fish_knotmap_using_subcommand history" -s h -l help -d 'Print help'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and not __fish_seen_subcommand_from check sample print history help" -f -a "check" -d 'Read every file of a practice and print each problem as `path:line:col: message`, and each safety warning without a written reason as `path: warning: message`. Exits with 1 if there is any problem (warnings alone do not fail), 2 if the folder is not a practice'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and not __fish_seen_subcommand_from check sample print history help" -f -a "sample" -d 'Write a realistic sample practice (made-up clients with months of sessions) to DIR, which must not exist yet or be empty'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and not __fish_seen_subcommand_from check sample print history help" -f -a "print" -d 'Write the PDF of a plan sheet, a take-home sheet or a client\'s progress report, one or many at once, and send it to a printer if asked'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and not __fish_seen_subcommand_from check sample print history help" -f -a "history" -d 'Write one client\'s history to standard output as CSV: a header row, then one row per session and region (date, session_id, status, region_id, side, layer, coarse_area, tension, pain, pressure, minutes, findings). Exits with 1 if a session file could not be read (the rest are written), 2 if the practice or the client is not there'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and not __fish_seen_subcommand_from check sample print history help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and __fish_seen_subcommand_from print" -f -a "plan" -d 'Plan sheets: the therapist\'s copy of a session\'s plan'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and __fish_seen_subcommand_from print" -f -a "take-home" -d 'Take-home sheets: what the client takes home (no health flags, no notes). Files are named DATE-TIME-CLIENT-take-home.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and __fish_seen_subcommand_from print" -f -a "consent" -d 'Consent forms: what the client agreed to, with the signatures as drawn and any withdrawal; blank, to sign on paper, where none is recorded. Files are named DATE-TIME-CLIENT-consent.pdf'
complete -c knotmap -n "__fish_knotmap_using_subcommand help; and __fish_seen_subcommand_from print" -f -a "report" -d 'A client\'s progress report over a date range'
