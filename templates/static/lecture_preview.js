// Staff preview of a lecture: HLS natively where the browser can (Safari, iOS), hls.js otherwise.
(function () {
  'use strict';
  var video = document.getElementById('preview-video');
  if (!video) return;
  var src = video.getAttribute('data-src');
  var error = document.getElementById('preview-error');
  function fail() {
    error.textContent = '视频无法播放，请刷新页面重试。';
    error.hidden = false;
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
  } else if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls();
    hls.on(window.Hls.Events.ERROR, function (_, data) { if (data.fatal) fail(); });
    hls.loadSource(src);
    hls.attachMedia(video);
  } else {
    fail();
  }
  video.addEventListener('error', fail);
})();
