//! The program, function definitions, blocks and statements.

use super::{with_stack, Fail, Parsed, Parser};
use crate::syntax::ast::{
    AssignOp, Block, Expr, FunctionDef, Param, Program, Stmt, StmtKind,
};
use crate::syntax::parser::{assign_op, for_each_kind};
use crate::syntax::token::{Soft, Token};

impl Parser<'_, '_> {
    /// Function definitions and statements up to the end of the input.
    pub(super) fn program(&mut self) -> Parsed<Program> {
        let mut program = Program::default();
        while self.peek().is_some() {
            if self.at_function_definition() {
                if let Some(function) = self.attempt(Self::function_definition)? {
                    program.functions.push(function);
                    continue;
                }
            }
            if let Some(statement) = self.statement()? {
                program.body.push(statement);
            }
        }
        Ok(program)
    }

    /// Whether a function definition could start here (a type name, then a name).
    fn at_function_definition(&self) -> bool {
        matches!(
            (self.peek(), self.peek_nth(1)),
            (Some(Token::Word(_)), Some(Token::Word(_)))
        )
    }

    /// `<type> [ns.]name(<type> p, ...) { ... }`
    fn function_definition(&mut self) -> Parsed<FunctionDef> {
        let start = self.pos;
        let return_type = self.ident()?;
        let name = self.path()?;
        let params = self.delimited(Token::LParen, Self::param, Token::RParen)?;
        let body = self.block()?;
        Ok(FunctionDef {
            return_type,
            name,
            params,
            body,
            span: self.span_from(start),
        })
    }

    /// `<type> name`
    fn param(&mut self) -> Parsed<Param> {
        let ty = self.ident()?;
        let name = self.ident()?;
        Ok(Param { ty, name })
    }

    /// `{ statement* }`
    fn block(&mut self) -> Parsed<Block> {
        with_stack(|| self.statements_in_braces())
    }

    /// The braces and statements of a block. The block keeps no spare capacity: a vector grows
    /// to at least four items (544 bytes for one statement), and trees are most of what
    /// `dlg check` writes to memory, all of it new pages (with argument lists likewise, some
    /// 30-40 MB of the harness's file's peak).
    fn statements_in_braces(&mut self) -> Parsed<Block> {
        self.expect(Token::LBrace)?;
        let mut statements = Vec::new();
        loop {
            match self.peek() {
                Some(Token::RBrace) => {
                    self.bump();
                    statements.shrink_to_fit();
                    return Ok(statements);
                }
                // An unclosed block: reported by the chumsky grammar.
                None => return Err(Fail::GiveUp),
                Some(_) => statements.extend(self.statement()?),
            }
        }
    }

    /// One statement; `None` for a lone `;`. A statement that does not parse is an error the
    /// chumsky grammar reports and recovers from, so any failure here gives up.
    fn statement(&mut self) -> Parsed<Option<Stmt>> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Token::Semi) => {
                self.bump();
                return Ok(None);
            }
            Some(Token::If) => match self.attempt(Self::if_statement)? {
                Some(kind) => Ok(kind),
                None => self.simple_statement_with_end(),
            },
            Some(Token::For) => self.for_each(),
            Some(Token::Try) => self.try_catch(),
            _ => self.simple_statement_with_end(),
        };
        let kind = kind.map_err(|_| Fail::GiveUp)?;
        Ok(Some(Stmt {
            kind,
            span: self.span_from(start),
        }))
    }

    /// A simple statement and the `;` that ends it.
    fn simple_statement_with_end(&mut self) -> Parsed<StmtKind> {
        let kind = self.simple_statement()?;
        self.statement_end()?;
        Ok(kind)
    }

    /// A `;`, or nothing after the `]` of a bracket block. A `;` missing elsewhere is reported
    /// by the chumsky grammar.
    fn statement_end(&mut self) -> Parsed<()> {
        if self.eat(Token::Semi) {
            return Ok(());
        }
        let after_bracket = self
            .pos
            .checked_sub(1)
            .is_some_and(|last| self.is_at(last, Token::RBracket));
        if after_bracket {
            Ok(())
        } else {
            Err(Fail::GiveUp)
        }
    }

    /// The statements that end with `;`, in the chumsky grammar's order. The forms that need
    /// a particular token sequence are tried only where it is.
    fn simple_statement(&mut self) -> Parsed<StmtKind> {
        let path_end = self.path_end();
        let after_path = path_end.and_then(|end| self.token_at(end));
        if after_path.as_ref().and_then(assign_op).is_some() {
            if let Some(kind) = self.attempt(Self::assignment)? {
                return Ok(kind);
            }
        }
        if matches!(self.peek(), Some(Token::Word(_))) && self.is_at(self.pos + 1, Token::LBracket) {
            if let Some(kind) = self.attempt(Self::update_record)? {
                return Ok(kind);
            }
        }
        if path_end.is_some_and(|end| self.is_at(end, Token::Colon)) {
            if let Some(kind) = self.attempt(Self::field_ui)? {
                return Ok(kind);
            }
        }
        if let Some(kind) = self.attempt(Self::keyword_statement)? {
            return Ok(kind);
        }
        Ok(StmtKind::Expr(self.expression()?))
    }

    /// The statements led by a keyword: `info`, `return`, `break`, `continue`, the Creator form
    /// actions, `alert`, `cancel` and `delete from`.
    fn keyword_statement(&mut self) -> Parsed<StmtKind> {
        let word = match self.peek() {
            Some(Token::Return) => {
                self.bump();
                return Ok(StmtKind::Return(self.attempt(Self::expression)?));
            }
            Some(Token::Break) => {
                self.bump();
                return Ok(StmtKind::Break);
            }
            Some(Token::Continue) => {
                self.bump();
                return Ok(StmtKind::Continue);
            }
            Some(Token::Word(w)) => w,
            _ => return Err(Fail::Miss),
        };
        match word.soft {
            Soft::Info => {
                self.bump();
                Ok(StmtKind::Info(self.expression()?))
            }
            Soft::Hide | Soft::Show | Soft::Enable | Soft::Disable | Soft::Clear => self.form_ui(),
            Soft::Alert => {
                self.bump();
                Ok(StmtKind::Alert(self.expression()?))
            }
            Soft::Cancel => {
                self.bump();
                Ok(StmtKind::Cancel(self.ident()?))
            }
            Soft::Delete => {
                self.bump();
                self.soft(Soft::From)?;
                Ok(StmtKind::DeleteFrom(Box::new(self.fetch()?)))
            }
            _ => Err(Fail::Miss),
        }
    }

    /// `target = value`, `target += value`, ...
    fn assignment(&mut self) -> Parsed<StmtKind> {
        let target = self.path()?;
        let op = self.assign_op()?;
        let value = self.expression()?;
        Ok(StmtKind::Assign { target, op, value })
    }

    /// An assignment operator.
    fn assign_op(&mut self) -> Parsed<AssignOp> {
        let op = self.peek().as_ref().and_then(assign_op).ok_or(Fail::Miss)?;
        self.bump();
        Ok(op)
    }

    /// `Form[criteria].Field = value`
    fn update_record(&mut self) -> Parsed<StmtKind> {
        let fetch = self.fetch()?;
        self.expect(Token::Dot)?;
        let field = self.path()?;
        let op = self.assign_op()?;
        let value = self.expression()?;
        Ok(StmtKind::UpdateRecord {
            fetch: Box::new(fetch),
            field,
            op,
            value,
        })
    }

    /// `row.Product:ui.add(list)`
    fn field_ui(&mut self) -> Parsed<StmtKind> {
        let field = self.path()?;
        self.expect(Token::Colon)?;
        let action = self.path()?;
        let args = self.arguments()?;
        Ok(StmtKind::FieldUi {
            field,
            action,
            args,
        })
    }

    /// `hide F`, `show Sub.F`, `enable a, b`, ...
    fn form_ui(&mut self) -> Parsed<StmtKind> {
        let action = self.ident()?;
        let first = self.path()?;
        let fields = self.separated_tail(vec![first], Self::path)?;
        Ok(StmtKind::FormUi { action, fields })
    }

    /// `if (c) {..} else if (c) {..} else {..}`
    fn if_statement(&mut self) -> Parsed<StmtKind> {
        self.expect(Token::If)?;
        let mut branches = vec![self.branch()?];
        while let Some(branch) = self.attempt(|p| {
            p.expect(Token::Else)?;
            p.expect(Token::If)?;
            p.branch()
        })? {
            branches.push(branch);
        }
        let otherwise = self.attempt(|p| {
            p.expect(Token::Else)?;
            p.block()
        })?;
        Ok(StmtKind::If {
            branches,
            otherwise,
        })
    }

    /// `( condition ) { block }`
    fn branch(&mut self) -> Parsed<(Expr, Block)> {
        self.expect(Token::LParen)?;
        let condition = self.expression()?;
        self.expect(Token::RParen)?;
        Ok((condition, self.block()?))
    }

    /// `for each x in e {..}` and `for each index i in e {..}`
    fn for_each(&mut self) -> Parsed<StmtKind> {
        self.expect(Token::For)?;
        self.soft(Soft::Each)?;
        let indexed = self.attempt(|p| {
            p.soft(Soft::Index)?;
            let var = p.ident()?;
            p.expect(Token::In)?;
            Ok(var)
        })?;
        let (is_index, var) = match indexed {
            Some(var) => (true, var),
            None => {
                let var = self.ident()?;
                self.expect(Token::In)?;
                (false, var)
            }
        };
        let iterable = self.expression()?;
        let body = self.block()?;
        Ok(for_each_kind(is_index, var, iterable, body))
    }

    /// `try {..} catch (e) {..}`
    fn try_catch(&mut self) -> Parsed<StmtKind> {
        self.expect(Token::Try)?;
        let body = self.block()?;
        self.expect(Token::Catch)?;
        self.expect(Token::LParen)?;
        let var = self.ident()?;
        self.expect(Token::RParen)?;
        let handler = self.block()?;
        Ok(StmtKind::Try { body, var, handler })
    }
}
