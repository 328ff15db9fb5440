fn main() -> std::process::ExitCode {
    exit_101_on_panic();
    docktutor::cli::main()
}

/// The release build aborts on a panic (a smaller binary, issue 16); a
/// panic still ends the process as an unwinding one does, with status 101
/// and its message, not SIGABRT. Hooks installed later (the TUI's, which
/// restores the terminal first) run before this one.
fn exit_101_on_panic() {
    if cfg!(panic = "abort") {
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            print(info);
            std::process::exit(101);
        }));
    }
}
