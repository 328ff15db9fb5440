fn main() -> std::process::ExitCode {
    docktutor::cli::main()
}
