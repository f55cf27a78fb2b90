fn main() {
    std::process::exit(fleetc::cli::main());
}
