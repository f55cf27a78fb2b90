// Emitting a tree allocates and frees hundreds of thousands of small values from several
// threads; glibc's allocator spent a quarter of `check` on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(fleetc::cli::main());
}
