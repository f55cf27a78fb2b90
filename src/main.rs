// Emitting a tree allocates and frees hundreds of thousands of small values from several
// threads; glibc's allocator spent a quarter of `check` on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Like any Unix filter, end quietly when the reader of the output goes away
    // (`fleetc render --all | head`): Rust ignores SIGPIPE, which turns every later print
    // into a panic.
    // SAFETY: restoring the default disposition of a signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(fleetc::main());
}
