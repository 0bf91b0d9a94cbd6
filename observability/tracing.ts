/**
 * Traces across API → Temporal → activities (issue #13 §1) with the OpenTelemetry interceptors
 * (@temporalio/interceptors-opentelemetry), exported over OTLP/HTTP only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; without it nothing is installed and nothing costs CPU.
 * Span names and attributes are route templates and workflow/activity types: no personal data.
 */
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestHandler } from 'express';

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/** Installs a global tracer provider exporting to `endpoint` (OTLP/HTTP); undefined: no tracing. */
export function startTracing(serviceName: string, endpoint: string | undefined): Tracing | undefined {
  if (!endpoint) return undefined;
  const resource = new Resource({ 'service.name': `otbasy-hpc-${serviceName}` });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register(); // the global tracer and the AsyncLocalStorage context the interceptors read
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/**
 * A server span per API request, active while it is handled, so the Temporal client interceptor
 * continues it into the workflow it starts or updates. Named after the route template.
 */
export function requestSpans(): RequestHandler {
  const tracer = trace.getTracer('otbasy-hpc-api');
  return (req, res, next) => {
    const span = tracer.startSpan(`${req.method} request`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } });
    res.on('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      const template = typeof route?.path === 'string' ? `${req.baseUrl}${route.path === '/' ? '' : route.path}` || '/' : '(unmatched)';
      span.updateName(`${req.method} ${template}`);
      span.setAttributes({ 'http.route': template, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
}
