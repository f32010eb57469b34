//! The one ffmpeg command that turns an upload into two H.264/AAC HLS renditions and a poster.

use super::format_whitelist;
use super::probe::MediaInfo;
use ffmpeg_sidecar::command::FfmpegCommand;
use std::ffi::OsString;
use std::path::Path;

pub(crate) const SEGMENT_SECONDS: u32 = 6;
pub(crate) const MASTER_PLAYLIST: &str = "master.m3u8";
pub(crate) const VARIANT_PLAYLIST: &str = "index.m3u8";
pub(crate) const POSTER: &str = "poster.jpg";
/// The poster is taken a little way in, past fade-ins and title cards, but never past the end.
const POSTER_MAX_OFFSET_S: f64 = 5.0;

/// One HLS variant. Names are fixed so URLs stay stable; a small source is not upscaled, so
/// its "720p" rendition keeps the source height and differs only in bitrate.
pub(crate) struct Rendition {
    pub name: &'static str,
    pub max_height: u32,
    pub video_kbps: u32,
    pub audio_kbps: u32,
}

pub(crate) const RENDITIONS: [Rendition; 2] = [
    Rendition { name: "360p", max_height: 360, video_kbps: 800, audio_kbps: 96 },
    Rendition { name: "720p", max_height: 720, video_kbps: 2500, audio_kbps: 128 },
];

/// Scales down to `max_height` (never up), keeping both dimensions even for yuv420p.
fn scale_filter(max_height: u32) -> String {
    format!("scale=w=-2:h='trunc(min({max_height},ih)/2)*2'")
}

fn filter_graph(source: &MediaInfo) -> String {
    let branches = RENDITIONS.len() + 1;
    let mut graph = format!("[0:v:0]split={branches}");
    (0..branches).for_each(|i| graph.push_str(&format!("[split{i}]")));
    for (i, rendition) in RENDITIONS.iter().enumerate() {
        let scale = scale_filter(rendition.max_height);
        graph.push_str(&format!(";[split{i}]{scale},format=yuv420p[v{i}]"));
    }
    let offset = (source.duration_s * 0.1).min(POSTER_MAX_OFFSET_S);
    let scale = scale_filter(720);
    let last = RENDITIONS.len();
    graph.push_str(&format!(";[split{last}]trim=start={offset:.3},{scale},format=yuvj420p[poster]"));
    graph
}

fn rendition_args(source: &MediaInfo) -> Vec<String> {
    let mut args = Vec::new();
    for (i, r) in RENDITIONS.iter().enumerate() {
        args.extend(["-map".into(), format!("[v{i}]")]);
        if source.has_audio {
            args.extend(["-map".into(), "0:a:0".into()]);
            args.extend([format!("-b:a:{i}"), format!("{}k", r.audio_kbps)]);
        }
        args.extend([format!("-b:v:{i}"), format!("{}k", r.video_kbps)]);
        args.extend([format!("-maxrate:v:{i}"), format!("{}k", r.video_kbps * 107 / 100)]);
        args.extend([format!("-bufsize:v:{i}"), format!("{}k", r.video_kbps * 3 / 2)]);
    }
    args
}

/// `v:0,a:0,name:360p v:1,a:1,name:720p`; a source without audio gets video-only variants,
/// which phones play fine.
fn var_stream_map(source: &MediaInfo) -> String {
    let variant = |(i, r): (usize, &Rendition)| match source.has_audio {
        true => format!("v:{i},a:{i},name:{}", r.name),
        false => format!("v:{i},name:{}", r.name),
    };
    let variants: Vec<String> = RENDITIONS.iter().enumerate().map(variant).collect();
    variants.join(" ")
}

/// Builds the command; `input` and `out_dir` are paths we generated, never client text.
pub(crate) fn hls_command(input: &Path, out_dir: &Path, source: &MediaInfo) -> FfmpegCommand {
    let mut input_url = OsString::from("file:");
    input_url.push(input.as_os_str());
    let keyframes = format!("expr:gte(t,n_forced*{SEGMENT_SECONDS})");
    let mut command = FfmpegCommand::new();
    command
        .hide_banner()
        .overwrite()
        .args(["-nostdin", "-protocol_whitelist", "file", "-format_whitelist"])
        .arg(format_whitelist())
        .input(input_url)
        .filter_complex(filter_graph(source))
        .args(rendition_args(source))
        .args(["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main"])
        // Keyframes exactly every segment so every rendition cuts at the same instants.
        .args(["-sc_threshold", "0", "-force_key_frames", &keyframes])
        .args(["-c:a", "aac", "-ac", "2", "-max_muxing_queue_size", "1024"])
        .args(["-f", "hls", "-hls_time", &SEGMENT_SECONDS.to_string()])
        .args(["-hls_playlist_type", "vod", "-hls_flags", "independent_segments"])
        .args(["-hls_segment_type", "mpegts", "-hls_segment_filename"])
        .arg(out_dir.join("%v").join("segment_%03d.ts"))
        .args(["-master_pl_name", MASTER_PLAYLIST, "-var_stream_map"])
        .arg(var_stream_map(source))
        .output(out_dir.join("%v").join(VARIANT_PLAYLIST).as_os_str())
        .args(["-map", "[poster]", "-frames:v", "1", "-q:v", "3"])
        .output(out_dir.join(POSTER).as_os_str());
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(has_audio: bool) -> MediaInfo {
        MediaInfo {
            duration_s: 10.0,
            width: 640,
            height: 360,
            has_video: true,
            has_audio,
            format_name: "mov,mp4,m4a,3gp,3g2,mj2".into(),
        }
    }

    #[test]
    fn variants_follow_the_audio() {
        assert_eq!(var_stream_map(&source(true)), "v:0,a:0,name:360p v:1,a:1,name:720p");
        assert_eq!(var_stream_map(&source(false)), "v:0,name:360p v:1,name:720p");
        assert!(!rendition_args(&source(false)).contains(&"0:a:0".to_string()));
    }

    #[test]
    fn poster_is_taken_within_the_video() {
        assert!(filter_graph(&source(true)).contains("trim=start=1.000"));
        let long = MediaInfo { duration_s: 3600.0, ..source(true) };
        assert!(filter_graph(&long).contains("trim=start=5.000"));
    }
}
