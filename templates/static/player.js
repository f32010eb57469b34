// The lecture player: starts a play session through the JSON API, plays the signed HLS stream
// (natively where the browser can, hls.js otherwise), resumes at the last confirmed position
// and reports the position at the server's interval. Every rule (what counts as watched,
// completion, one device at a time) is the server's; this page only shows its answers.
(function () {
  'use strict';
  var root = document.getElementById('player');
  if (!root || !window.Xs) return;
  var Xs = window.Xs;
  var $ = function (id) { return document.getElementById(id); };
  var video = $('video');
  var lectureId = root.getAttribute('data-lecture-id');
  var HLS_TYPE = 'application/vnd.apple.mpegurl';

  var s = { session: null, intervalMs: 10000, timer: null, queue: Promise.resolve(), stopped: false, resume: 0 };

  function fail(message) {
    var box = $('player-error');
    box.textContent = message;
    Xs.show(box, true);
  }

  function say(text) { $('watch-state').textContent = text; }

  // ---- the session and the stream ------------------------------------------------------

  async function start() {
    var res;
    try {
      res = await Xs.api('POST', '/api/v1/lectures/' + lectureId + '/play');
    } catch (e) {
      return fail('网络连接失败，请检查网络后刷新本页。');
    }
    if (!res.ok) {
      var err = Xs.errorOf(res);
      if (err.code === 'lecture_not_ready') return fail('视频尚在处理中，请稍后再来观看。');
      return fail(err.message);
    }
    s.session = res.body.session_id;
    s.intervalMs = Math.max(1, res.body.beat_interval_s || 10) * 1000;
    s.resume = res.body.resume_s || 0;
    attach(res.body.stream_url);
  }

  function hlsJsSupported() { return !!(window.Hls && window.Hls.isSupported()); }

  function attach(url) {
    video.addEventListener('loadedmetadata', resumeAndPlay, { once: true });
    video.preload = 'auto';
    if (video.canPlayType(HLS_TYPE)) {
      root.setAttribute('data-engine', 'native');
      // A browser whose own HLS support fails on this stream gets hls.js instead, once.
      video.addEventListener('error', function () {
        if (hlsJsSupported() && root.getAttribute('data-engine') === 'native') {
          video.removeAttribute('src');
          withHlsJs(url);
        }
      }, { once: true });
      video.src = url;
    } else if (hlsJsSupported()) {
      withHlsJs(url);
    } else {
      root.setAttribute('data-engine', 'none');
      fail('此浏览器不能播放本视频，请换用手机自带浏览器或新版 Chrome、Edge、Safari。');
    }
  }

  function withHlsJs(url) {
    root.setAttribute('data-engine', 'hls.js');
    var hls = new window.Hls();
    hls.on(window.Hls.Events.ERROR, function (_, data) {
      if (data.fatal) fail('视频加载失败，请检查网络后刷新本页。');
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  function resumeAndPlay() {
    if (s.resume > 0 && s.resume < video.duration - 1) {
      video.currentTime = s.resume;
      say('已从上次观看的位置（' + Math.floor(s.resume / 60) + ' 分 ' + Xs.pad(Math.floor(s.resume % 60)) + ' 秒）继续播放。');
    }
    var playing = video.play();
    if (playing && playing.catch) {
      playing.catch(function () { say('请点击视频上的播放按钮开始学习。'); });
    }
  }

  // ---- heartbeats --------------------------------------------------------------------------

  /** Beats are sent one after another, never two at once. */
  function beat() {
    if (!s.session || s.stopped) return;
    var position = video.currentTime;
    s.queue = s.queue.then(function () { return send(position); });
  }

  async function send(position) {
    if (s.stopped) return;
    var res;
    try {
      res = await Xs.api('POST', '/api/v1/play/' + encodeURIComponent(s.session) + '/beat', { position_s: position });
    } catch (e) {
      return say('网络不稳定，学习进度暂未保存，将自动重试。');
    }
    if (res.ok) return showProgress(res.body);
    var err = Xs.errorOf(res);
    if (res.status === 409 && err.code === 'superseded') return superseded();
    if (res.status === 401) return stop('登录已失效，请重新登录后继续学习。');
    if (res.status === 404) return stop('播放已失效，请刷新本页。');
    say('学习进度暂未保存（' + err.message + '），将自动重试。');
  }

  function showProgress(r) {
    var percent = Math.floor(Math.min(1, Math.max(0, r.coverage)) * 100);
    $('coverage').textContent = percent + '%';
    $('coverage-bar').value = percent;
    root.setAttribute('data-completed', r.completed ? 'true' : 'false');
    if (r.completed) say('本讲已完成，学习进度已保存。');
    else say('已观看 ' + percent + '%，进度已保存。');
  }

  function stop(message) {
    s.stopped = true;
    clearInterval(s.timer);
    s.timer = null;
    video.pause();
    fail(message);
  }

  function superseded() {
    root.setAttribute('data-superseded', 'true');
    stop('已在其他设备上播放，本页已停止记录学习进度。如需在本设备继续学习，请刷新本页。');
  }

  function startBeating() {
    beat();
    if (!s.timer) s.timer = setInterval(beat, s.intervalMs);
  }

  function stopBeating() {
    clearInterval(s.timer);
    s.timer = null;
    beat();
  }

  video.addEventListener('playing', startBeating);
  video.addEventListener('pause', stopBeating);
  video.addEventListener('ended', stopBeating);
  video.addEventListener('seeked', beat);
  document.addEventListener('visibilitychange', function () { if (document.hidden) beat(); });

  start();
})();
