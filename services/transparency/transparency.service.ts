import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { EventLog } from '../../events/ports/event-log.port';
import { hashToBase64 } from '../../events/registry/transparency/merkle-hash';
import { EVENT_LOG, TREE_HEAD_SIGNER } from '../tokens';
import { RegistryLeafTree } from './registry-leaf-tree';
import { type SignedTreeHead, type TreeHeadSigner, signTreeHead } from './tree-head';
import { DEFAULT_TRANSPARENCY_REFRESH_MS, TRANSPARENCY_REFRESH_MS } from './transparency.tokens';

/** The tree and the last head signed for it (the tree may already hold more leaves than the head). */
export interface TransparencyView {
  leaves: RegistryLeafTree;
  head: SignedTreeHead;
}

/**
 * The registry's transparency log, kept in memory and brought up to the event log's head in the
 * background: at bootstrap, then every `TRANSPARENCY_REFRESH_MS`. A head is signed once per growth of
 * the tree, off the request path: requests read the last signed head and never wait for a catch-up or
 * a signature, except the very first ones, before any head exists. Nothing is stored: a restart
 * rebuilds the same tree from the log.
 */
@Injectable()
export class TransparencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Transparency');
  private readonly leaves = new RegistryLeafTree();
  private published: TransparencyView | undefined;
  private refreshing: Promise<TransparencyView> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TREE_HEAD_SIGNER) private readonly signer: TreeHeadSigner,
    @Optional()
    @Inject(TRANSPARENCY_REFRESH_MS)
    private readonly refreshMs: number = DEFAULT_TRANSPARENCY_REFRESH_MS,
  ) {}

  onApplicationBootstrap(): void {
    this.refreshInBackground();
    this.timer = setInterval(() => this.refreshInBackground(), this.refreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The last signed head and its tree; waits only while no head has been signed yet. */
  async current(): Promise<TransparencyView> {
    return this.published ?? this.refresh();
  }

  /**
   * Reads the registry events the log committed since the last refresh and signs a head for the
   * grown tree; concurrent callers share one run. Resolves with the head signed last.
   */
  refresh(): Promise<TransparencyView> {
    this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private refreshInBackground(): void {
    this.refresh().catch((error: Error) =>
      this.logger.warn(`catch-up of the transparency log failed (retried shortly): ${error.message}`),
    );
  }

  private async catchUp(): Promise<TransparencyView> {
    await this.leaves.catchUp(this.eventLog);
    const size = this.leaves.size;
    if (this.published?.head.treeSize === size) return this.published;
    const rootHash = hashToBase64(this.leaves.tree.root(size));
    const head = signTreeHead({ treeSize: size, rootHash, timestamp: Date.now() }, this.signer);
    this.published = { leaves: this.leaves, head };
    return this.published;
  }
}
