use super::*;
use crate::media::probe::probe;
use crate::media::test_media;
use std::sync::{Arc, Mutex};

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn playlist_duration_sums_segments() {
    let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.000000,\nsegment_000.ts\n\
                    #EXTINF:4.040000,\nsegment_001.ts\n#EXT-X-ENDLIST\n";
    assert!((playlist_duration(playlist).unwrap() - 10.04).abs() < 1e-9);
    assert_eq!(playlist_duration("#EXTM3U\n#EXT-X-ENDLIST\n"), None);
}

#[tokio::test]
async fn transcodes_a_ten_second_lecture_to_two_renditions() {
    let dir = tempfile::tempdir().unwrap();
    let input = test_media::video(dir.path(), 10, true);
    let source = probe(&input).await.unwrap();
    let out = dir.path().join("lectures").join("lecture-1");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let output = transcode_hls(&input, &out, &source, move |p| sink.lock().unwrap().push(p)).await.unwrap();

    assert_eq!(output.renditions, ["360p", "720p"]);
    assert!((output.duration_s - 10.0).abs() <= 0.2, "{}", output.duration_s);
    assert_eq!(entries(&out), ["360p", "720p", "master.m3u8", "poster.jpg"]);
    let master = std::fs::read_to_string(out.join("master.m3u8")).unwrap();
    assert!(master.contains("360p/index.m3u8") && master.contains("720p/index.m3u8"));
    assert!(master.contains("mp4a.40.2"), "{master}");
    for rendition in ["360p", "720p"] {
        let files = entries(&out.join(rendition));
        // 10 s in 6 s segments: 6 + 4.
        assert_eq!(files, ["index.m3u8", "segment_000.ts", "segment_001.ts"]);
    }
    let segment = probe(&out.join("360p/segment_000.ts")).await.unwrap();
    assert_eq!(segment.height, 360);
    assert!((segment.duration_s - 6.0).abs() < 0.2, "{}", segment.duration_s);

    let seen = seen.lock().unwrap();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
    assert!(seen.iter().all(|p| (0.0..=1.0).contains(p)));
    assert!(seen.iter().any(|p| *p > 0.0 && *p < 1.0), "ffmpeg's own progress: {seen:?}");
    // Leaves no staging directory behind.
    assert_eq!(entries(&dir.path().join("lectures")), ["lecture-1"]);
}

#[tokio::test]
async fn a_video_without_audio_still_streams() {
    let dir = tempfile::tempdir().unwrap();
    let input = test_media::video_sized(dir.path(), 3, false, "1280x720");
    let source = probe(&input).await.unwrap();
    assert!(!source.has_audio);
    let out = dir.path().join("lecture-2");
    let output = transcode_hls(&input, &out, &source, |_| {}).await.unwrap();
    assert!((output.duration_s - 3.0).abs() <= 0.2, "{}", output.duration_s);
    let low = probe(&out.join("360p/segment_000.ts")).await.unwrap();
    assert!(low.has_video && !low.has_audio);
    assert_eq!((low.width, low.height), (640, 360));
    let high = probe(&out.join("720p/segment_000.ts")).await.unwrap();
    assert_eq!((high.width, high.height), (1280, 720));
}

#[tokio::test]
async fn a_failed_transcode_leaves_nothing_and_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.upload");
    std::fs::write(&input, "not a video at all").unwrap();
    let source = MediaInfo {
        duration_s: 10.0,
        width: 640,
        height: 360,
        has_video: true,
        has_audio: true,
        format_name: "mov,mp4,m4a,3gp,3g2,mj2".into(),
    };
    let lectures = dir.path().join("lectures");
    let out = lectures.join("lecture-3");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("master.m3u8"), "#EXTM3U\n").unwrap();

    let result = transcode_hls(&input, &out, &source, |_| {}).await;
    let Err(MediaError::TranscodeFailed(message)) = result else {
        panic!("{result:?}");
    };
    assert!(message.contains("Invalid data found"), "{message}");
    assert_eq!(entries(&lectures), ["lecture-3"]);
    assert_eq!(entries(&out), ["master.m3u8"]);
}

#[tokio::test]
async fn a_new_transcode_replaces_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = test_media::video(dir.path(), 2, true);
    let source = probe(&input).await.unwrap();
    let out = dir.path().join("lecture-4");
    std::fs::create_dir_all(out.join("old-rendition")).unwrap();
    transcode_hls(&input, &out, &source, |_| {}).await.unwrap();
    assert_eq!(entries(&out), ["360p", "720p", "master.m3u8", "poster.jpg"]);
    assert_eq!(entries(dir.path()).len(), 2, "{:?}", entries(dir.path()));
}
