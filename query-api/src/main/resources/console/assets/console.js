"use strict";
// The Stockline console. Everything a user or a producer wrote (SKUs, order ids, reasons, dead letters) is
// put on the page with textContent only, never as markup; the page's policy forbids inline script besides.
(function () {
  const RECENT_SECONDS = 5;
  const REFRESH_MS = 5000;
  const STATUS_COLOURS = {
    RESERVED: "#1f6feb", REJECTED: "#c62828", CONFIRMED: "#2e7d32", CANCELLED: "#8e24aa",
    EXPIRED: "#ef6c00", REFUNDED: "#00838f"
  };
  const charts = { outcomes: null, outcomeKeys: "", latency: null };

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(element, value) {
    element.textContent = value === null || value === undefined ? "–" : String(value);
  }

  function addCell(row, value, className) {
    const cell = document.createElement("td");
    setText(cell, value);
    if (className) {
      cell.className = className;
    }
    row.appendChild(cell);
    return cell;
  }

  function replaceRows(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren();
    rows.forEach(function (cells) {
      const row = document.createElement("tr");
      cells.forEach(function (cell) {
        addCell(row, cell.value, cell.className);
      });
      body.appendChild(row);
    });
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      body = null;
    }
    return { status: response.status, body: body };
  }

  function problemText(answer, notFound) {
    if (answer.status === 404) {
      return notFound;
    }
    const detail = answer.body && answer.body.detail ? answer.body.detail : "no details";
    return "The ledger answered " + answer.status + ": " + detail;
  }

  // ---- look-ups -------------------------------------------------------------------------------------------

  function showFields(target, fields) {
    const table = document.createElement("table");
    const body = document.createElement("tbody");
    fields.forEach(function (field) {
      const row = document.createElement("tr");
      const name = document.createElement("th");
      name.textContent = field[0];
      row.appendChild(name);
      addCell(row, field[1]).dataset.field = field[0];
      body.appendChild(row);
    });
    table.appendChild(body);
    target.replaceChildren(table);
  }

  function showError(target, message) {
    const line = document.createElement("p");
    line.className = "error";
    line.textContent = message;
    target.replaceChildren(line);
  }

  /** Asks one route for the key typed in {@code inputId} and shows the answer's fields in {@code targetId}. */
  function lookUp(inputId, targetId, route, what, fieldsOf) {
    return async function (event) {
      event.preventDefault();
      const key = byId(inputId).value;
      const target = byId(targetId);
      try {
        const answer = await getJson(route + encodeURIComponent(key));
        if (answer.status !== 200) {
          showError(target, problemText(answer, "No " + what + " " + JSON.stringify(key) + " in the ledger."));
          return;
        }
        showFields(target, fieldsOf(answer.body));
      } catch (error) {
        showError(target, "The instance did not answer: " + error.message);
      }
    };
  }

  function levelsText(part) {
    return part.onHand + " on hand, " + part.available + " available, " + part.locked + " locked";
  }

  /** One location's part, then each of its batches (its units outside any batch are the rest). */
  function locationText(location) {
    const expired = location.expired > 0 ? ", " + location.expired + " expired" : "";
    const batches = location.batches.map(function (batch) {
      return "; batch " + batch.batch + (batch.expiresAt ? ", expires " + batch.expiresAt : "") + ": "
        + levelsText(batch);
    }).join("");
    return levelsText(location) + expired + batches;
  }

  function stockFields(level) {
    const fields = [["sku", level.sku], ["onHand", level.onHand], ["available", level.available],
      ["locked", level.locked], ["expired", level.expired]];
    if (level.productId !== null) {
      const attributes = Object.keys(level.attributes).map(function (name) {
        return name + " " + level.attributes[name];
      }).join(", ");
      fields.push(["product", level.productId + (attributes ? " (" + attributes + ")" : "")]);
    }
    level.locations.forEach(function (location) {
      fields.push(["at " + location.location, locationText(location)]);
    });
    return fields.concat([["version", level.version], ["updatedAt", level.updatedAt]]);
  }

  /** An order's lines as "sku × n", each with where its units are when that is not the default location. */
  function linesText(lines) {
    return lines.map(function (line) {
      const where = line.location === null ? "" : " @ " + line.location + (line.batch === null ? "" : "/" + line.batch);
      return line.sku + " × " + line.quantity + where;
    }).join(", ");
  }

  function orderFields(order) {
    return [["orderId", order.orderId], ["status", order.status], ["lines", linesText(order.lines)],
      ["locked", linesText(order.locked)], ["sold", linesText(order.sold)], ["placedAt", order.placedAt],
      ["expiresAt", order.expiresAt], ["updatedAt", order.updatedAt], ["reason", order.reason]];
  }

  // ---- live figures ---------------------------------------------------------------------------------------

  function recent(series) {
    if (!series || series.length === 0) {
      return 0;
    }
    const tail = series.slice(-RECENT_SECONDS);
    return tail.reduce(function (sum, value) { return sum + value; }, 0) / tail.length;
  }

  function total(series) {
    return series.reduce(function (sum, value) { return sum + value; }, 0);
  }

  function lastKnown(series) {
    for (let i = series.length - 1; i >= 0; i--) {
      if (series[i] !== null) {
        return series[i];
      }
    }
    return null;
  }

  function rate(value) {
    return value >= 10 ? Math.round(value).toLocaleString("en") : value.toFixed(1);
  }

  function chartWidth(id) {
    return Math.max(300, byId(id).clientWidth || 420);
  }

  function drawOutcomes(minute) {
    const keys = Object.keys(minute.outcomes).sort();
    const data = [minute.seconds].concat(keys.map(function (key) { return minute.outcomes[key]; }));
    if (charts.outcomes && charts.outcomeKeys === keys.join(",")) {
      charts.outcomes.setData(data);
      return;
    }
    if (charts.outcomes) {
      charts.outcomes.destroy();
    }
    const series = [{}].concat(keys.map(function (key) {
      return { label: key, stroke: STATUS_COLOURS[key] || "#555", width: 2 };
    }));
    charts.outcomes = new uPlot({ width: chartWidth("chart-outcomes"), height: 220, series: series,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } } },
      data, byId("chart-outcomes"));
    charts.outcomeKeys = keys.join(",");
  }

  function drawLatency(minute) {
    const data = [minute.seconds, minute.latencyP50, minute.latencyP99];
    if (charts.latency) {
      charts.latency.setData(data);
      return;
    }
    charts.latency = new uPlot({ width: chartWidth("chart-latency"), height: 220, series: [{},
      { label: "p50 ms", stroke: "#1f6feb", width: 2, spanGaps: false },
      { label: "p99 ms", stroke: "#c62828", width: 2, spanGaps: false }] }, data, byId("chart-latency"));
  }

  function countRows(counts) {
    return Object.keys(counts).sort().map(function (key) {
      return [{ value: key }, { value: rate(recent(counts[key])), className: "number" },
        { value: total(counts[key]).toLocaleString("en"), className: "number" }];
    });
  }

  function minuteTotal(counts) {
    return Object.values(counts).reduce(function (sum, series) {
      return sum + total(series);
    }, 0).toLocaleString("en");
  }

  function renderFigures(figures) {
    const minute = figures.window;
    setText(byId("served-by"), figures.servedBy);
    setText(byId("feed"), figures.feed + (figures.skipped > 0 ? " (" + figures.skipped + " records unreadable)" : ""));
    const reserved = recent(minute.outcomes.RESERVED);
    const rejected = recent(minute.outcomes.REJECTED);
    setText(byId("tile-decided"), rate(reserved + rejected));
    setText(byId("tile-reserved"), rate(reserved));
    setText(byId("tile-rejected"), rate(rejected));
    const p50 = lastKnown(minute.latencyP50);
    const p99 = lastKnown(minute.latencyP99);
    setText(byId("tile-latency"), p50 === null ? "–" : p50 + " / " + p99 + " ms");
    setText(byId("tile-lag"), figures.consumerLag === null ? "unknown" : figures.consumerLag.toLocaleString("en"));
    setText(byId("tile-dead"), minuteTotal(minute.deadLetters));
    setText(byId("tile-alerts"), minuteTotal(minute.stockAlerts));
    replaceRows(byId("rollbacks"), countRows(minute.rollbacks));
    replaceRows(byId("dead-letter-codes"), countRows(minute.deadLetters));
    replaceRows(byId("stock-alert-kinds"), countRows(minute.stockAlerts));
    replaceRows(byId("instances"), figures.instances.map(function (instance) {
      return [{ value: instance.instance }, { value: instance.streams },
        { value: instance.ready ? "ready" : "not ready", className: instance.ready ? "ready" : "not-ready" }];
    }));
    if (typeof uPlot === "function") {
      drawOutcomes(minute);
      drawLatency(minute);
    }
  }

  function listen() {
    const source = new EventSource("/console/events");
    source.addEventListener("figures", function (event) {
      renderFigures(JSON.parse(event.data));
    });
    source.onerror = function () {
      setText(byId("feed"), "reconnecting…");
    };
  }

  // ---- tables refreshed every few seconds -----------------------------------------------------------------

  async function refreshLowest() {
    const note = byId("lowest-note");
    try {
      const answer = await getJson("/lowest-stock?limit=10");
      if (answer.status !== 200) {
        setText(note, problemText(answer, "No SKUs yet."));
        return;
      }
      setText(note, answer.body.items.length === 0 ? "No SKUs yet." : "");
      replaceRows(byId("lowest-table"), answer.body.items.map(function (level) {
        return [{ value: level.sku }, { value: level.available, className: "number" },
          { value: level.locked, className: "number" }, { value: level.onHand, className: "number" }];
      }));
    } catch (error) {
      setText(note, "The instance did not answer: " + error.message);
    }
  }

  function spacedHex(hex, bytes) {
    if (hex === null) {
      return "(no value)";
    }
    const pairs = hex.match(/.{1,2}/g) || [];
    const shown = pairs.join(" ");
    return bytes > pairs.length ? shown + " … (" + bytes + " bytes)" : shown;
  }

  async function refreshDeadLetters() {
    const note = byId("dead-letters-note");
    try {
      const answer = await getJson("/dead-letters?limit=10");
      if (answer.status !== 200) {
        setText(note, problemText(answer, "No dead letters."));
        return;
      }
      setText(note, answer.body.items.length === 0 ? "No dead letters seen." : "");
      replaceRows(byId("dead-letters-table"), answer.body.items.map(function (letter) {
        return [{ value: letter.at }, { value: letter.code },
          { value: letter.sourceTopic + " / " + letter.partition + " @ " + letter.offset }, { value: letter.key },
          { value: letter.message }, { value: spacedHex(letter.payloadHex, letter.payloadBytes), className: "hex" }];
      }));
    } catch (error) {
      setText(note, "The instance did not answer: " + error.message);
    }
  }

  async function refreshStockAlerts() {
    const note = byId("stock-alerts-note");
    try {
      const answer = await getJson("/stock-alerts?limit=10");
      if (answer.status !== 200) {
        setText(note, problemText(answer, "No stock alerts."));
        return;
      }
      setText(note, answer.body.items.length === 0 ? "No stock alerts seen." : "");
      replaceRows(byId("stock-alerts-table"), answer.body.items.map(function (alert) {
        return [{ value: alert.kind }, { value: alert.sku }, { value: alert.available, className: "number" },
          { value: alert.threshold, className: "number" }, { value: alert.at }];
      }));
    } catch (error) {
      setText(note, "The instance did not answer: " + error.message);
    }
  }

  function refreshTables() {
    refreshLowest();
    refreshStockAlerts();
    refreshDeadLetters();
  }

  byId("sku-form").addEventListener("submit", lookUp("sku-input", "sku-result", "/stock/", "SKU", stockFields));
  byId("order-form").addEventListener("submit", lookUp("order-input", "order-result", "/orders/", "order", orderFields));
  listen();
  refreshTables();
  setInterval(refreshTables, REFRESH_MS);
}());
