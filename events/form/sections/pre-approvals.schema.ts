import {
  NO_PRE_APPROVALS,
  type PreApproval,
  type PreApprovals,
  REGULATED_CATEGORIES,
} from '../registration-form';
import { type FieldPath, formatPath } from '../schema/field-path';
import { list } from '../schema/list';
import { field, isJsonObject, ownValue, record } from '../schema/record';
import {
  describeJsonType,
  INVALID,
  type Invalid,
  type ParseContext,
  type SchemaNode,
} from '../schema/schema-node';
import { choice } from '../schema/choice';
import { text } from '../schema/text';

const MAX_PRE_APPROVALS = 20;

const preApprovalSchema = record({
  category: field(choice(REGULATED_CATEGORIES)),
  approvalRef: field(text({ max: 100, emptyRule: 'pre_approval_ref_required' }), {
    missingRule: 'pre_approval_ref_required',
  }),
  issuer: field(text({ max: 100 })),
});

/** Stands in for a misplaced "none" so the list keeps its indexes; never part of a valid value. */
interface MisplacedNone {
  readonly misplacedNoneAt: string;
}

function isMisplacedNone(item: PreApproval | MisplacedNone): item is MisplacedNone {
  return 'misplacedNoneAt' in item;
}

/** `"none"` written as a list item, or as an item's category, instead of as the whole value. */
function isNoneMarker(item: unknown): boolean {
  return item === NO_PRE_APPROVALS || (isJsonObject(item) && ownValue(item, 'category') === NO_PRE_APPROVALS);
}

const preApprovalOrMisplacedNone: SchemaNode<PreApproval | MisplacedNone> = {
  jsonSchema: preApprovalSchema.jsonSchema,
  parse(input, path, context) {
    return isNoneMarker(input)
      ? { misplacedNoneAt: formatPath(path) }
      : preApprovalSchema.parse(input, path, context);
  },
};

const preApprovalListSchema = list(preApprovalOrMisplacedNone, {
  min: 1,
  max: MAX_PRE_APPROVALS,
  unique: {
    key: (item) => (isMisplacedNone(item) ? item.misplacedNoneAt : item.category),
    at: ['category'],
    describe: 'one item per category',
  },
});

/**
 * 前置审批: the explicit string "none", or one item per regulated category with the reference of
 * the approval document. "none" cannot be combined with categories.
 */
export const preApprovalsSchema: SchemaNode<PreApprovals> = {
  jsonSchema: { anyOf: [{ const: NO_PRE_APPROVALS }, preApprovalListSchema.jsonSchema] },
  parse(input: unknown, path: FieldPath, context: ParseContext): PreApprovals | Invalid {
    const { issues } = context;
    if (input === NO_PRE_APPROVALS) return NO_PRE_APPROVALS;
    if (typeof input === 'string') {
      issues.report(path, 'invalid_choice', `must be "${NO_PRE_APPROVALS}" or a list of approvals`);
      return INVALID;
    }
    if (!Array.isArray(input)) {
      issues.report(
        path,
        'type',
        `must be "${NO_PRE_APPROVALS}" or a list of approvals, not ${describeJsonType(input)}`,
      );
      return INVALID;
    }
    const misplacedNone = input.some(isNoneMarker);
    if (misplacedNone) {
      issues.report(
        path,
        'pre_approval_none_exclusive',
        `"${NO_PRE_APPROVALS}" must stand alone as the whole value, never inside a list of categories`,
      );
    }
    const items = preApprovalListSchema.parse(input, path, context);
    if (items === INVALID || misplacedNone) return INVALID;
    return items.filter((item): item is PreApproval => !isMisplacedNone(item));
  },
};
