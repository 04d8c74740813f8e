//! Prints what the player sees in a file (duration, position after seeks): a debugging aid.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: probe FILE [SEEK_MS...]")?;
    let (p, out) = cueline_player::PlayerHandle::spawn_null(cueline_player::NullPace::Manual);
    p.load(&path)?;
    out.pull(1024);
    println!("state: {:?}", p.state());
    p.play()?;
    for ms in std::env::args().skip(2) {
        let ms: u64 = ms.parse()?;
        let r = p.seek(ms);
        let got = out.pull(out.sample_rate() as usize * 11 / 10);
        let onset = got.iter().position(|s| s.abs() > 0.2);
        println!(
            "seek {ms}: {r:?} pos after {} onset {onset:?} state {:?}",
            p.position_ms(),
            p.state().ended
        );
    }
    Ok(())
}
