/**
 * How requests from outside the cluster reach its models: one entry point, a route per model.
 */

/** Options of {@link ClusterRouting.gateway}. */
export interface GatewayRoutingOptions {
  /** Name of the Gateway (gateway.networking.k8s.io/v1) the HTTPRoutes attach to. */
  readonly gatewayName: string;
  /**
   * Namespace of the Gateway. A Gateway in another namespace must admit routes from the
   * cluster's (its listener's `allowedRoutes.namespaces`). Give the Gateway a namespace of its
   * own where its implementation runs the proxy pods beside it (Istio, NGINX Gateway Fabric):
   * in the cluster's namespace they would fall under its default-deny ingress policy and Pod
   * Security "restricted".
   * @default - the cluster's namespace
   */
  readonly gatewayNamespace?: string;
  /**
   * The Gateway listener the routes attach to.
   * @default - every listener that admits them
   */
  readonly sectionName?: string;
  /**
   * Host names of the path routes (host routes carry their own).
   * @default - none: every host name the listener accepts
   */
  readonly hostnames?: string[];
  /**
   * Namespace of the Gateway's proxy pods, admitted by each routed model's NetworkPolicy.
   * Implementations differ: Istio and most others run them beside the Gateway; Envoy Gateway
   * in `envoy-gateway-system` unless it is configured otherwise.
   * @default - the Gateway's namespace
   */
  readonly proxyNamespace?: string;
}

/** Options of {@link ClusterRouting.ingress}. */
export interface IngressRoutingOptions {
  /** The IngressClass, e.g. `nginx`. */
  readonly className: string;
  /**
   * Domain of the default host routes: a model without a `route` is served at `<name>.<domain>`.
   * @default - none: each routed model needs `route: ModelRoute.host(...)`
   */
  readonly domain?: string;
  /**
   * Namespace of the ingress controller's pods, admitted by each routed model's NetworkPolicy.
   * @default "ingress-nginx"
   */
  readonly controllerNamespace?: string;
}

/** The cluster's entry point. */
export class ClusterRouting {
  /**
   * Gateway API: an HTTPRoute per model, attached to an existing Gateway. Weighted canaries and
   * mirrored (shadow) traffic are supported. A Gateway API implementation must run in the
   * cluster (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric, GKE, …) with the standard
   * channel CRDs (v1.3 or later for mirror percentages: `percent` joined the standard channel in v1.3.0), and the Gateway itself must exist.
   */
  public static gateway(options: GatewayRoutingOptions): ClusterRouting {
    return new ClusterRouting('gateway', options, undefined);
  }
  /**
   * networking.k8s.io/v1 Ingress: one per model, routed by host. Canaries and mirrors are not
   * portable across Ingress controllers and are refused; so are path routes (an Ingress cannot
   * strip a path prefix without controller-specific annotations). An Ingress controller of
   * `className` must run in the cluster.
   */
  public static ingress(options: IngressRoutingOptions): ClusterRouting {
    return new ClusterRouting('ingress', undefined, options);
  }
  /** No entry point: the models are reached only in-cluster, at their Services. */
  public static none(): ClusterRouting {
    return new ClusterRouting('none', undefined, undefined);
  }
  private constructor(
    public readonly kind: 'gateway' | 'ingress' | 'none',
    public readonly gatewayOptions: GatewayRoutingOptions | undefined,
    public readonly ingressOptions: IngressRoutingOptions | undefined,
  ) {}

  public toString(): string {
    if (this.kind === 'none') return 'ClusterRouting.none()';
    return `ClusterRouting.${this.kind}(${JSON.stringify(this.gatewayOptions ?? this.ingressOptions)})`;
  }
}

/** Where a model is served behind the cluster's entry point. */
export class ModelRoute {
  /**
   * Requests whose path starts with `prefix` (whole path segments: `/fraud` matches `/fraud/x`,
   * not `/fraudulent`), the prefix stripped before they reach the model server
   * (`/fraud/predictions/fraud` → `/predictions/fraud`). Gateway API only.
   */
  public static path(prefix: string): ModelRoute {
    return new ModelRoute(prefix, undefined);
  }
  /** Every request to `hostname` (e.g. `fraud.models.example.com`), path unchanged. */
  public static host(hostname: string): ModelRoute {
    return new ModelRoute('/', hostname);
  }
  /** Not routed: reached only in-cluster, at its Service. */
  public static none(): ModelRoute {
    return new ModelRoute(undefined, undefined);
  }
  private constructor(public readonly prefix: string | undefined, public readonly hostname: string | undefined) {}

  /** Whether the model is routed at all. */
  public get routed(): boolean {
    return this.prefix !== undefined;
  }

  public toString(): string {
    if (this.hostname !== undefined) return `ModelRoute.host(${JSON.stringify(this.hostname)})`;
    return this.prefix === undefined ? 'ModelRoute.none()' : `ModelRoute.path(${JSON.stringify(this.prefix)})`;
  }
}
