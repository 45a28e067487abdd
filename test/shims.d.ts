// Types for the test-only Prometheus text parser, which ships none.
declare module 'parse-prometheus-text-format' {
  interface PrometheusMetric {
    name: string;
    help: string;
    type: string;
    metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
  }
  export default function parsePrometheusTextFormat(text: string): PrometheusMetric[];
}
