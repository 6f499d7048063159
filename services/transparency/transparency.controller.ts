import { Controller, Get, Query } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { ProblemException, ValidationProblem, problemType } from '../http/problem-details';
import {
  type ConsistencyProofAnswer,
  type InclusionProofAnswer,
  type ProofOutcome,
  consistencyProof,
  consistencyProofSchema,
  inclusionProof,
  inclusionProofSchema,
} from './transparency-proofs';
import {
  type ConsistencyRequest,
  type InclusionRequest,
  consistencyQuery,
  inclusionQuery,
  parseConsistencyRequest,
  parseInclusionRequest,
} from './transparency.requests';
import { TransparencyService } from './transparency.service';
import { type SignedTreeHead, signedTreeHeadSchema } from './tree-head';

/**
 * The registry's transparency log (RFC 9162 style, docs/transparency.md): public, like the registry.
 * Every answer comes from the last signed head (kept current in the background): proofs default to
 * its size and go no further, whatever the tree has grown to since.
 */
@ApiTags('transparency')
@Controller('v1/transparency')
export class TransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get('sth')
  @ApiRoute({ problems: {} })
  @ApiResponse({
    status: 200,
    description: 'the signed tree head of the registry',
    schema: signedTreeHeadSchema,
  })
  async sth(): Promise<SignedTreeHead> {
    return (await this.transparency.current()).head;
  }

  @Get('proof/inclusion')
  @ApiRoute({
    query: inclusionQuery,
    problems: { 404: 'no leaf has this leaf hash' },
  })
  @ApiResponse({ status: 200, description: 'the audit path of the leaf', schema: inclusionProofSchema })
  async inclusion(
    @Query(new ParseBodyPipe(parseInclusionRequest)) query: InclusionRequest,
  ): Promise<InclusionProofAnswer> {
    const { leaves, head } = await this.transparency.current();
    return answer(inclusionProof(leaves, query, head));
  }

  @Get('proof/consistency')
  @ApiRoute({ query: consistencyQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'the proof that the tree of `first` leaves is a prefix of the tree of `second`',
    schema: consistencyProofSchema,
  })
  async consistency(
    @Query(new ParseBodyPipe(parseConsistencyRequest)) query: ConsistencyRequest,
  ): Promise<ConsistencyProofAnswer> {
    const { leaves, head } = await this.transparency.current();
    return answer(consistencyProof(leaves, query, head));
  }
}

function answer<T>(outcome: ProofOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  if ('error' in outcome) throw new ValidationProblem([outcome.error]);
  throw new ProblemException({
    type: problemType('leaf-not-found'),
    title: 'Not Found',
    status: 404,
    detail: outcome.notFound,
  });
}
