/* Harbour Goods: the demo shop's own script. A catalogue, a cart in localStorage, a few forms.
 * It knows nothing about cxlisten beyond the public snippet API (window.cxlisten.track). */
(function () {
  "use strict";

  var CATALOGUE = {
    lamp: { name: "Tide desk lamp", price: 49, letter: "L", hue: 174 },
    mug: { name: "Harbour stoneware mug", price: 18, letter: "M", hue: 28 },
    throw: { name: "Linen throw", price: 79, letter: "T", hue: 262 },
    notebook: { name: "Dot-grid notebook", price: 12, letter: "N", hue: 204 }
  };
  var FREE_SHIPPING_FROM = 100;
  var SHIPPING = 9.9;
  var CART_KEY = "harbour.cart";

  // cxlisten.track through the snippet's queue stub: sdk.js loads async, and calls made before
  // it arrives wait in window.cxlisten.q until it replays them.
  function track(name, props) {
    try {
      window.cxlisten = window.cxlisten || function () {
        (window.cxlisten.q = window.cxlisten.q || []).push(arguments);
      };
      window.cxlisten("track", name, props || {});
    } catch (e) { /* analytics never breaks the shop */ }
  }

  function money(n) { return "$" + n.toFixed(2); }

  function readCart() {
    try {
      var cart = JSON.parse(localStorage.getItem(CART_KEY) || "{}");
      return cart && typeof cart === "object" ? cart : {};
    } catch (e) { return {}; }
  }

  function writeCart(cart) {
    localStorage.setItem(CART_KEY, JSON.stringify(cart));
    showCount();
  }

  function cartLines() {
    var cart = readCart();
    return Object.keys(cart).filter(function (slug) {
      return CATALOGUE[slug] && cart[slug] > 0;
    }).map(function (slug) {
      return { slug: slug, qty: cart[slug], product: CATALOGUE[slug] };
    });
  }

  function totals(lines) {
    var subtotal = lines.reduce(function (s, l) { return s + l.qty * l.product.price; }, 0);
    var shipping = subtotal === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    return { subtotal: subtotal, shipping: shipping, total: subtotal + shipping };
  }

  function showCount() {
    var n = cartLines().reduce(function (s, l) { return s + l.qty; }, 0);
    document.querySelectorAll(".cart-count").forEach(function (el) { el.textContent = String(n); });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function thumb(product) {
    var t = el("div", { "class": "thumb", "aria-hidden": "true" }, product.letter);
    t.style.background = "hsl(" + product.hue + " 60% 88%)";
    t.style.color = "hsl(" + product.hue + " 45% 35%)";
    return t;
  }

  function productCard(slug) {
    var p = CATALOGUE[slug];
    var card = el("article", { "class": "card" });
    card.appendChild(thumb(p));
    var h = el("h3");
    h.appendChild(el("a", { href: "/product/" + slug }, p.name));
    card.appendChild(h);
    card.appendChild(el("div", { "class": "price" }, money(p.price)));
    var actions = el("div", { "class": "actions" });
    actions.appendChild(el("button", { type: "button", "data-add": slug }, "Add to cart"));
    card.appendChild(actions);
    return card;
  }

  function addToCart(slug) {
    var cart = readCart();
    cart[slug] = (cart[slug] || 0) + 1;
    writeCart(cart);
    track("add_to_cart", { product: slug, price: CATALOGUE[slug].price });
  }

  // Add-to-cart buttons anywhere on the page (also ones rendered later).
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-add]") : null;
    if (!button || !CATALOGUE[button.getAttribute("data-add")]) return;
    addToCart(button.getAttribute("data-add"));
    var status = document.querySelector(".added");
    if (status) status.textContent = "Added to your cart.";
    button.textContent = "Added ✓";
  });

  function renderProductThumbs() {
    document.querySelectorAll("[data-thumb]").forEach(function (slot) {
      var p = CATALOGUE[slot.getAttribute("data-thumb")];
      if (p) slot.replaceWith(thumb(p));
    });
    document.querySelectorAll("[data-products]").forEach(function (grid) {
      var slugs = (grid.getAttribute("data-products") || Object.keys(CATALOGUE).join(" ")).split(/\s+/);
      slugs.forEach(function (slug) { if (CATALOGUE[slug]) grid.appendChild(productCard(slug)); });
    });
  }

  function renderCart(root) {
    var lines = cartLines();
    root.textContent = "";
    if (!lines.length) {
      var empty = el("div", { "class": "empty" });
      empty.appendChild(el("p", {}, "Your cart is empty."));
      empty.appendChild(el("a", { "class": "button", href: "/products" }, "Browse products"));
      root.appendChild(empty);
      return;
    }
    var table = el("table", { "class": "lines" });
    var head = el("tr");
    [["Product", ""], ["Price", "num hide-sm"], ["Quantity", "num"], ["Total", "num"], ["", ""]]
      .forEach(function (h) { head.appendChild(el("th", { "class": h[1], scope: "col" }, h[0])); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    lines.forEach(function (line) {
      var tr = el("tr");
      var name = el("td");
      name.appendChild(el("a", { href: "/product/" + line.slug }, line.product.name));
      tr.appendChild(name);
      tr.appendChild(el("td", { "class": "num hide-sm" }, money(line.product.price)));
      var qtyCell = el("td", { "class": "num" });
      var qty = el("input", {
        type: "number", min: "0", max: "20", value: String(line.qty),
        "aria-label": "Quantity of " + line.product.name
      });
      qty.addEventListener("change", function () {
        var cart = readCart();
        cart[line.slug] = Math.max(0, Math.min(20, parseInt(qty.value, 10) || 0));
        writeCart(cart);
        renderCart(root);
      });
      qtyCell.appendChild(qty);
      tr.appendChild(qtyCell);
      tr.appendChild(el("td", { "class": "num" }, money(line.qty * line.product.price)));
      var removeCell = el("td", { "class": "num" });
      var remove = el("button", { type: "button", "class": "secondary" }, "Remove");
      remove.addEventListener("click", function () {
        var cart = readCart();
        delete cart[line.slug];
        writeCart(cart);
        renderCart(root);
      });
      removeCell.appendChild(remove);
      tr.appendChild(removeCell);
      body.appendChild(tr);
    });
    root.appendChild(table);
    root.appendChild(totalsBlock(totals(lines)));
    var go = el("p", { "class": "totals" });
    go.appendChild(el("a", { "class": "button", href: "/checkout", id: "to-checkout" }, "Go to checkout"));
    root.appendChild(go);
  }

  function totalsBlock(t) {
    var div = el("div", { "class": "totals" });
    div.appendChild(el("div", {}, "Subtotal: " + money(t.subtotal)));
    div.appendChild(el("div", { "class": "shipping" },
      "Shipping: " + (t.shipping ? money(t.shipping) : "free")));
    div.appendChild(el("strong", {}, "Total: " + money(t.total)));
    return div;
  }

  function renderSummary(root) {
    var lines = cartLines();
    root.textContent = "";
    root.appendChild(el("h2", {}, "Your order"));
    if (!lines.length) {
      root.appendChild(el("p", {}, "Your cart is empty."));
      return;
    }
    var ul = el("ul");
    lines.forEach(function (l) {
      var li = el("li");
      li.appendChild(el("span", {}, l.qty + " × " + l.product.name));
      li.appendChild(el("span", {}, money(l.qty * l.product.price)));
      ul.appendChild(li);
    });
    root.appendChild(ul);
    root.appendChild(totalsBlock(totals(lines)));
  }

  // Delivery details, then payment: each step checks the cart and moves on to its data-next.
  function wireCheckoutStep(form, last) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!cartLines().length) {
        form.querySelector(".form-error").textContent = "Your cart is empty.";
        return;
      }
      if (last) {
        var t = totals(cartLines());
        var order = "HG-" + Math.floor(100000 + Math.random() * 900000);
        sessionStorage.setItem("harbour.order", JSON.stringify({ number: order, total: t.total }));
        track("order_placed", { total: t.total });
      }
      location.href = form.getAttribute("data-next");
    });
  }

  function showOrderDone(root) {
    var order = null;
    try { order = JSON.parse(sessionStorage.getItem("harbour.order") || "null"); } catch (e) { /* none */ }
    if (order) {
      root.textContent = "Order " + order.number + " is confirmed: " + money(order.total) +
        ". We'll email you when it ships.";
      sessionStorage.removeItem("harbour.order");
    }
    writeCart({});
  }

  function wireSignup(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var email = form.querySelector("input[type=email]").value.trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        form.querySelector(".form-error").textContent = "Please enter a valid email address.";
        return;
      }
      sessionStorage.setItem("harbour.signup", email);
      track("signup_started", {});
      location.href = "/signup/verify";
    });
  }

  function wireVerify(form) {
    var email = sessionStorage.getItem("harbour.signup");
    var where = document.querySelector("[data-signup-email]");
    if (where && email) where.textContent = email;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var code = form.querySelector("input[name=code]").value.replace(/\s+/g, "");
      if (!/^\d{6}$/.test(code)) {
        form.querySelector(".form-error").textContent = "The code has 6 digits.";
        track("signup_code_invalid", {});
        return;
      }
      track("signup_verified", {});
      location.href = "/welcome";
    });
  }

  function renderSearch(root) {
    var q = (new URLSearchParams(location.search).get("q") || "").trim();
    var input = document.querySelector("#search-q");
    if (input) input.value = q;
    var heading = document.querySelector("[data-search-heading]");
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = Object.keys(CATALOGUE).filter(function (slug) {
      var name = CATALOGUE[slug].name.toLowerCase();
      return words.length && words.every(function (w) { return name.indexOf(w) >= 0 || slug.indexOf(w) >= 0; });
    });
    if (heading) {
      heading.textContent = !q ? "Search the shop" :
        hits.length ? hits.length + " result" + (hits.length > 1 ? "s" : "") + " for “" + q + "”" :
        "No results for “" + q + "”";
    }
    hits.forEach(function (slug) { root.appendChild(productCard(slug)); });
    if (q) track("search", { query: q.slice(0, 100), results: hits.length });
  }

  function start() {
    showCount();
    renderProductThumbs();
    var node;
    if ((node = document.getElementById("cart"))) renderCart(node);
    if ((node = document.getElementById("checkout-summary"))) renderSummary(node);
    if ((node = document.getElementById("checkout-form"))) wireCheckoutStep(node, false);
    if ((node = document.getElementById("payment-form"))) wireCheckoutStep(node, true);
    if ((node = document.getElementById("order-done"))) showOrderDone(node);
    if ((node = document.getElementById("signup-form"))) wireSignup(node);
    if ((node = document.getElementById("verify-form"))) wireVerify(node);
    if ((node = document.getElementById("search-results"))) renderSearch(node);
    // Scripts that drive the shop (the demo's browser tests) wait for this before they click.
    document.documentElement.setAttribute("data-shop-ready", "");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
