// Shared helpers for the pages' scripts: JSON API calls with the session cookie and the
// page's CSRF token, Chinese error messages, and a tiny element builder (no innerHTML, so
// text from the server can never become markup).
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  /** Calls the API; resolves to {status, ok, body} (body: parsed JSON or null). Rejects only
   *  when the network fails. */
  async function api(method, path, body) {
    var headers = { 'Accept': 'application/json', 'X-CSRF-Token': csrf };
    var init = { method: method, headers: headers, credentials: 'same-origin' };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    var r = await fetch(path, init);
    var text = await r.text();
    var parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
    return { status: r.status, ok: r.ok, body: parsed };
  }

  /** The Chinese part of a server message "中文 (English)". */
  function zh(message) {
    if (!message) return '';
    var cut = message.replace(/\s*\([^()]*\)\s*$/, '');
    return cut || message;
  }

  /** The error's code and Chinese message of an API answer, with a fallback per status. */
  function errorOf(res) {
    var e = res && res.body && res.body.error;
    var fallback = {
      401: '登录已失效，请重新登录。',
      403: '无权进行此操作，或页面已过期，请刷新后重试。',
      404: '内容不存在或已被删除。',
      413: '文件太大。',
      429: '操作过于频繁，请稍后再试。',
      503: '服务暂时不可用，请稍后再试。'
    };
    return {
      code: e && e.code ? e.code : '',
      message: e && e.message ? zh(e.message) : (fallback[res.status] || '出错了（' + res.status + '），请稍后再试。'),
      details: e ? e.details : null
    };
  }

  /** el('p', {class: 'x'}, ['text', child]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === false || v === null || v === undefined) return;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /** hh:mm:ss of a date, local time. */
  function clock(d) { return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }

  function show(node, visible) { if (node) node.hidden = !visible; }

  window.Xs = { api: api, zh: zh, errorOf: errorOf, el: el, pad: pad, clock: clock, show: show, csrf: csrf };
})();
