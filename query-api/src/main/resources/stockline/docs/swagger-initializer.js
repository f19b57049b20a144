// Starts Swagger UI on /openapi.json. A file rather than an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No badge: it would send the description to swagger.io's online validator.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis]
  });
});
