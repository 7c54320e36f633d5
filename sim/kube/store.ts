// One simulated cluster's storage, write side: create, update, patch, delete with the apiserver's
// rules. The HTTP server and in-process callers (controllers, tests) go through the same methods.
import { deepEqual } from "./patch";
import { StoreCore } from "./store-core";
import { KubeError, alreadyExists, conflict, namespaceNotFound } from "./status-errors";
import type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  PatchType,
  TypeArg,
  UpdateOptions,
} from "./store-types";
import type { KubeList, KubeObject, ResourceType } from "./types";
import { applyPatchDocument, prepareCreate, prepareUpdate } from "./write-rules";

export type { WatchHandle } from "./watch-hub";
export type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  PatchType,
  StoreOptions,
  TypeArg,
  UpdateOptions,
  WatchOptions,
} from "./store-types";

export class Store extends StoreCore {
  create(obj: KubeObject, opts: CreateOptions = {}): KubeObject {
    const type = this.typeOf(opts.type ?? { apiVersion: obj.apiVersion, kind: obj.kind });
    const next = prepareCreate(type, obj, {
      namespace: opts.namespace,
      keepStatus: opts.keepStatus,
      now: this.now(),
    });
    const ns = next.metadata.namespace ?? "";
    if (type.namespaced && !this.bucket(this.registry.resolve("namespaces")).has(`/${ns}`)) {
      throw namespaceNotFound(ns);
    }
    const key = `${ns}/${next.metadata.name}`;
    if (this.bucket(type).has(key)) throw alreadyExists(type, next.metadata.name ?? "");
    if (opts.dryRun) return next;
    return this.commit(type, "ADDED", key, next, undefined);
  }

  /** PUT: replaces the object (or, with subresource "status", only its status). */
  update(obj: KubeObject, opts: UpdateOptions = {}): KubeObject {
    const type = this.typeOf(opts.type ?? { apiVersion: obj.apiVersion, kind: obj.kind });
    const existing = this.stored(
      type,
      opts.namespace ?? obj.metadata?.namespace,
      obj.metadata?.name ?? "",
    );
    this.checkSubresource(type, opts.subresource);
    return this.save(
      type,
      existing,
      prepareUpdate(type, existing, obj, { subresource: opts.subresource }),
      opts,
    );
  }

  updateStatus(obj: KubeObject, opts: Omit<UpdateOptions, "subresource"> = {}): KubeObject {
    return this.update(obj, { ...opts, subresource: "status" });
  }

  patch(
    ref: TypeArg,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    opts: Omit<UpdateOptions, "type" | "namespace"> = {},
  ): KubeObject {
    const type = this.typeOf(ref);
    const existing = this.stored(type, namespace, name);
    this.checkSubresource(type, opts.subresource);
    const patched = applyPatchDocument(type, existing, patchType, patch);
    const next = prepareUpdate(type, existing, patched, {
      subresource: opts.subresource,
      fromPatch: true,
    });
    return this.save(type, existing, next, opts);
  }

  patchStatus(
    ref: TypeArg,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    patchType: PatchType = "merge",
  ) {
    return this.patch(ref, namespace, name, patchType, patch, { subresource: "status" });
  }

  delete(
    ref: TypeArg,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): KubeObject {
    const type = this.typeOf(ref);
    const existing = this.stored(type, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    if (opts.dryRun) return structuredClone(existing);
    if (type.kind === "Namespace" && !type.group) this.deleteNamespaceContents(name);
    if (type.subresources.log) this.logs.deletePod(existing.metadata.namespace ?? "", name);
    return this.commit(
      type,
      "DELETED",
      `${existing.metadata.namespace ?? ""}/${name}`,
      undefined,
      existing,
    );
  }

  deleteCollection(ref: TypeArg, opts: ListOptions & { dryRun?: boolean } = {}): KubeList {
    const type = this.typeOf(ref);
    const list = this.list(type, { ...opts, limit: undefined, continue: undefined });
    list.items = list.items.map((o) =>
      this.delete(type, o.metadata.namespace, o.metadata.name ?? "", opts),
    );
    return list;
  }

  setPodLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.set(namespace, pod, container, text);
  }

  appendPodLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.append(namespace, pod, container, text);
  }

  private checkSubresource(type: ResourceType, subresource: string | undefined): void {
    if (subresource === "status" && !type.subresources.status) {
      throw new KubeError(404, "NotFound", "the server could not find the requested resource", {});
    }
  }

  private save(
    type: ResourceType,
    existing: KubeObject,
    next: KubeObject,
    opts: { dryRun?: boolean },
  ): KubeObject {
    if (deepEqual(next, existing)) return structuredClone(existing); // a no-op write keeps its resourceVersion
    if (opts.dryRun) return next;
    const key = `${existing.metadata.namespace ?? ""}/${existing.metadata.name}`;
    return this.commit(type, "MODIFIED", key, next, existing);
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const type of this.registry.types) {
      if (!type.namespaced) continue;
      for (const [key, obj] of [...this.bucket(type)]) {
        if (obj.metadata.namespace !== namespace) continue;
        if (type.subresources.log) this.logs.deletePod(namespace, obj.metadata.name ?? "");
        this.commit(type, "DELETED", key, undefined, obj);
      }
    }
  }
}
